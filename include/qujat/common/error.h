// Errors that carry their causes. A failure deep in OpenSSL or libxml2 reaches
// the operator as one sentence with the chain of reasons behind it, the way
// libdigidocpp's OpenSSLException does.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "qujat/common/finding.h"

namespace qujat {

// An error with a stable machine code ("pkcs12.wrong_password") and a human
// message; `causes` hold lower-level reasons, outermost first. An error a
// person reads in a report (a hostile XML, a malformed signature) also carries
// a `finding`: a finer code with the values its kk/ru/en wording names.
class Error : public std::runtime_error {
 public:
  Error(std::string code, const std::string& message, std::vector<std::string> causes = {}, Finding finding = {})
      : std::runtime_error(message), code_(std::move(code)), causes_(std::move(causes)), finding_(std::move(finding)) {}

  const std::string& code() const noexcept { return code_; }
  const std::vector<std::string>& causes() const noexcept { return causes_; }
  // finding().code is "" when the error has no wording of its own.
  const Finding& finding() const noexcept { return finding_; }
  // message plus causes, "message: cause1: cause2"
  std::string full_message() const;

 private:
  std::string code_;
  std::vector<std::string> causes_;
  Finding finding_;
};

// Drains the OpenSSL error queue of this thread into the causes.
class OpenSslError : public Error {
 public:
  OpenSslError(std::string code, const std::string& message);
};

// Empties the OpenSSL error queue without reporting it (after an expected failure).
void clear_openssl_errors() noexcept;

}  // namespace qujat
