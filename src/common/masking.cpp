#include "qujat/common/masking.h"

namespace qujat {

std::string mask_identifiers(std::string_view text) {
  std::string out(text);
  std::size_t i = 0;
  while (i < out.size()) {
    if (out[i] < '0' || out[i] > '9') {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < out.size() && out[end] >= '0' && out[end] <= '9') ++end;
    // Longer runs (document numbers, timestamps in digits) are not identifiers.
    if (end - i == 12) out.replace(i + 4, 6, 6, '*');
    i = end;
  }
  return out;
}

}  // namespace qujat
