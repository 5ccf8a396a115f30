#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "qujat/common/error.h"

namespace qujat::cli {

std::string read_password(const std::string& env_var, const std::string& file) {
  if (!env_var.empty()) {
    const char* value = std::getenv(env_var.c_str());
    if (value == nullptr) throw Error("password.env", "environment variable " + env_var + " is not set");
    return value;
  }
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) throw Error("password.file", "cannot read password file " + file);
    std::string password;
    std::getline(in, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    return password;
  }
  throw Error("password.missing", "a key needs --password-env VAR or --password-file FILE");
}

}  // namespace qujat::cli
