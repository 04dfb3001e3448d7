#include "sim/imei_check.h"

namespace imeiflow::sim {

bool IsValidImei(std::string_view imei) {
  if (imei.size() != 15) return false;
  int sum = 0;
  for (size_t i = 0; i < imei.size(); ++i) {
    char c = imei[i];
    if (c < '0' || c > '9') return false;
    int digit = c - '0';
    if (i % 2 == 1) {  // every second digit from the left is doubled
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 == 0;
}

}  // namespace imeiflow::sim
