#include "qujat/common/error.h"

#include <openssl/err.h>

namespace qujat {

std::string Error::full_message() const {
  std::string out = what();
  for (const auto& cause : causes_) out += ": " + cause;
  return out;
}

namespace {
std::vector<std::string> drain_openssl_queue() {
  std::vector<std::string> causes;
  unsigned long code = 0;
  const char* data = nullptr;
  int flags = 0;
  while ((code = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    std::string cause = buf;
    if (data != nullptr && (flags & ERR_TXT_STRING) != 0 && *data != '\0') cause += " (" + std::string(data) + ")";
    causes.push_back(std::move(cause));
  }
  return causes;
}
}  // namespace

OpenSslError::OpenSslError(std::string code, const std::string& message)
    : Error(std::move(code), message, drain_openssl_queue()) {}

void clear_openssl_errors() noexcept { ERR_clear_error(); }

}  // namespace qujat
