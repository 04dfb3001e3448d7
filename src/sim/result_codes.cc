#include "sim/result_codes.h"

#include <fmt/format.h>

#include <array>
#include <vector>

#include "sim/imei_check.h"

namespace imeiflow::sim {
namespace {

// Draws successive small choices out of one 64-bit hash.
class Picker {
 public:
  explicit Picker(uint64_t h) : state_(h) {}
  size_t Next(size_t n) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<size_t>((state_ >> 33) % n);
  }
  template <typename T, size_t N>
  const T& From(const std::array<T, N>& options) {
    return options[Next(N)];
  }

 private:
  uint64_t state_;
};

constexpr std::array<const char*, 8> kAppleModels = {"iPhone 13 Pro 128GB Graphite",
                                                     "iPhone 12 64GB Black",
                                                     "iPhone 14 Pro Max 256GB Deep Purple",
                                                     "iPhone 11 128GB White",
                                                     "iPhone SE (2nd) 64GB Red",
                                                     "iPhone 15 128GB Blue",
                                                     "iPhone XR 64GB Coral",
                                                     "iPhone 13 mini 256GB Pink"};
constexpr std::array<const char*, 7> kCarriers = {
    "Unlocked",    "AT&T USA - Locked Policy",       "T-Mobile USA", "Verizon USA", "EE UK",
    "Vodafone UK", "Unlocked (Reseller Flex Policy)"};
constexpr std::array<const char*, 4> kSamsungModels = {
    "Galaxy S21 5G (SM-G991U)", "Galaxy A52 (SM-A525F)", "Galaxy S23 Ultra (SM-S918B)",
    "Galaxy Note 20 (SM-N981U)"};
constexpr std::array<const char*, 5> kRejections = {
    "Invalid IMEI or not found in database", "IMEI not found in GSX",
    "Wrong IMEI - not an Apple device", "Service temporarily unavailable - refunded",
    "No result from source, please resubmit later"};

// A Luhn-valid neighbour IMEI (the second SIM slot's IMEI).
std::string SecondImei(const std::string& imei) {
  if (imei.size() != 15) return imei;
  std::string body = imei.substr(0, 14);
  for (int step = 0; step < 10; ++step) {
    body[13] = static_cast<char>('0' + (body[13] - '0' + 9) % 10);  // last body digit - 1
    for (char check = '0'; check <= '9'; ++check) {
      if (IsValidImei(body + check)) return body + check;
    }
  }
  return imei;
}

std::string Serial(Picker& pick) {
  static constexpr char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
  std::string s = "F";
  for (int i = 0; i < 11; ++i) s += kAlphabet[pick.Next(sizeof(kAlphabet) - 1)];
  return s;
}

std::string Join(const std::vector<std::string>& fields, bool html) {
  std::string out;
  for (const std::string& f : fields) {
    if (!out.empty()) out += html ? "<br>" : " - ";
    out += f;
  }
  return out;
}

std::string AppleCode(const std::string& imei, Picker& pick, bool html) {
  std::string carrier = pick.From(kCarriers);
  if (html) {  // these suppliers HTML-encode their values
    for (size_t at = carrier.find('&'); at != std::string::npos; at = carrier.find('&', at + 5)) {
      carrier.replace(at, 1, "&amp;");
    }
  }
  bool unlocked = carrier.rfind("Unlocked", 0) == 0;
  std::vector<std::string> fields = {
      fmt::format("Model: {}", pick.From(kAppleModels)),
      fmt::format("IMEI Number: {}", imei),
      fmt::format("Serial Number: {}", Serial(pick)),
      fmt::format("IMEI2 Number: {}", SecondImei(imei)),
      fmt::format("Carrier: {}", carrier),
      fmt::format("Find My iPhone: {}", pick.Next(3) == 0 ? "ON" : "OFF"),
      fmt::format("SimLock: {}", unlocked ? "Unlocked" : "Locked"),
  };
  if (html) fields.insert(fields.begin() + 4, "AppleCare Eligible: No &amp; Expired");
  return Join(fields, html);
}

std::string GenericCode(const std::string& imei, Picker& pick, bool html) {
  bool blacklisted = pick.Next(10) == 0;
  std::vector<std::string> fields = {
      fmt::format("Model: {}", pick.From(kSamsungModels)),
      fmt::format("IMEI Number: {}", imei),
      fmt::format("Carrier: {}", pick.From(kCarriers)),
      fmt::format("Current GSMA Status: {}", blacklisted ? "Blacklisted" : "Clean"),
  };
  return Join(fields, html);
}

}  // namespace

uint64_t StableHash(const std::string& text, uint64_t seed) {
  uint64_t h = 1469598103934665603ULL ^ (seed * 0x9E3779B97F4A7C15ULL);
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

std::string CompletedCode(ServiceKind kind, const std::string& imei, uint64_t seed) {
  Picker pick(StableHash(imei, seed));
  bool html = pick.Next(8) == 0;
  switch (kind) {
    case ServiceKind::kAppleCheck:
      return AppleCode(imei, pick, html);
    case ServiceKind::kGenericCheck:
      return GenericCode(imei, pick, html);
    case ServiceKind::kUnlock:
      return fmt::format("Unlock Code: {:08}", pick.Next(100000000));
  }
  return {};
}

std::string RejectionReason(const std::string& imei, uint64_t seed) {
  Picker pick(StableHash(imei, seed ^ 0x5bd1e995));
  return pick.From(kRejections);
}

}  // namespace imeiflow::sim
