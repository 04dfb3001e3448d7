// Status and Result<T>: errors as values, never exceptions across layers.
//
// A Status is either ok or carries a code and a human message that says what
// went wrong and where (file, line, field). Result<T> holds a T or a non-ok
// Status. Both are [[nodiscard]] (propagate, report or assert them) plain values:
// copy them freely; no shared state, so they are safe to use from any thread.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace imeiflow {

/// What kind of failure a Status reports; callers branch on this, people read the message.
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  ///< the input (file, flag, config value) is wrong
  kNotFound,         ///< a named thing does not exist
  kIoError,          ///< the operating system refused (open, read, write)
  kCorrupt,          ///< data is malformed (zip, XML, database)
  kTooLarge,         ///< a size bound was exceeded (upload, decompressed zip)
  kUnavailable,      ///< a peer could not be reached; may work later
  kPermissionDenied, ///< credentials were refused
  kInternal,         ///< a bug: an invariant did not hold
};

/// The outcome of an operation that returns no value.
class [[nodiscard]] Status {
 public:
  /// An ok status.
  Status() = default;
  /// A status with `code` and a message saying what and where.
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  /// The ok status.
  static Status Ok() { return Status(); }
  /// Shorthands for the common failure kinds.
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Corrupt(std::string m) { return {StatusCode::kCorrupt, std::move(m)}; }
  static Status TooLarge(std::string m) { return {StatusCode::kTooLarge, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status PermissionDenied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  /// True when the operation succeeded.
  bool ok() const { return code_ == StatusCode::kOk; }
  /// The failure kind (kOk when ok()).
  StatusCode code() const { return code_; }
  /// The human message; empty when ok().
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

/// A value of type T, or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  /// A successful result holding `value`.
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  /// A failed result; `status` must not be ok.
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok());
  }

  /// True when a value is held.
  bool ok() const { return std::holds_alternative<T>(v_); }
  /// The failure; an ok Status when a value is held.
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }
  /// The held value; only call when ok().
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace imeiflow
