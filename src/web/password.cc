#include "web/password.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <unordered_set>

#include "core/ascii.h"
#include "web/crypto.h"
#include "web/embedded_files.h"

namespace imeiflow::web {
namespace {

constexpr std::string_view kCommonPasswordsFile = "data/common_passwords.txt";
// Longest unit whose repetition is refused: "abab", "123123", "abcdabcd".
constexpr size_t kMaxRepeatedUnit = 4;

// The embedded list, read once (a function-local static: thread-safe).
const std::unordered_set<std::string>& CommonPasswords() {
  static const std::unordered_set<std::string> list = [] {
    std::unordered_set<std::string> words;
    std::string_view text = FindEmbeddedFile(kCommonPasswordsFile).value_or("");
    while (!text.empty()) {
      size_t end = std::min(text.find('\n'), text.size());
      std::string_view line = text.substr(0, end);
      text.remove_prefix(std::min(end + 1, text.size()));
      if (!line.empty() && line.front() != '#') words.emplace(line);
    }
    return words;
  }();
  return list;
}

bool IsBlank(std::string_view password) {
  return std::all_of(password.begin(), password.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
}

// Whether `password` is one unit of up to kMaxRepeatedUnit characters repeated.
bool IsRepeatedPattern(std::string_view password) {
  for (size_t unit = 1; unit <= kMaxRepeatedUnit && unit * 2 <= password.size(); ++unit) {
    if (password.size() % unit != 0) continue;
    bool repeats = true;
    for (size_t i = unit; i < password.size() && repeats; ++i) {
      repeats = password[i] == password[i - unit];
    }
    if (repeats) return true;
  }
  return false;
}

bool IsCommon(std::string_view password) {
  const std::unordered_set<std::string>& common = CommonPasswords();
  std::string lower = AsciiLower(password);
  if (common.contains(lower)) return true;
  // "monkey2024", "Password1!": a listed word with digits or punctuation added.
  size_t stem = lower.size();
  while (stem > 0 && !std::isalpha(static_cast<unsigned char>(lower[stem - 1]))) --stem;
  return stem > 0 && stem < lower.size() && common.contains(lower.substr(0, stem));
}

}  // namespace

std::string NewPasswordProblem(std::string_view password) {
  const std::string rule = fmt::format("choose one of at least {} characters", kMinPasswordLength);
  if (IsBlank(password)) return fmt::format("the password is empty or only blanks: {}", rule);
  if (password.size() < kMinPasswordLength) {
    return fmt::format("the password is too short: {}", rule);
  }
  if (IsRepeatedPattern(password)) {
    return fmt::format("the password repeats one character or a short pattern: {} that are "
                       "not a repetition",
                       rule);
  }
  if (IsCommon(password)) {
    return fmt::format("the password is one of the most common ones, which are guessed first: "
                       "{} that is not a common password or one with digits added",
                       rule);
  }
  return "";
}

Result<std::string> HashPassword(std::string_view password, PasswordCost cost) {
  if (std::string problem = NewPasswordProblem(password); !problem.empty()) {
    return Status::InvalidArgument(problem);
  }
  EnsureSodium();
  const bool minimum = cost == PasswordCost::kMinimum;
  unsigned long long ops =
      minimum ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t mem = minimum ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(), ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Internal("password hashing failed (out of memory?)");
  }
  return std::string(hash);
}

bool VerifyPassword(const std::string& stored_hash, std::string_view password) {
  EnsureSodium();
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace imeiflow::web
