// The service's configuration as `qujat serve --config FILE` reads it
// (config::load_config): the file's TOML through toml++ behind qujat's limits,
// every section and key checked, and QUJAT_<SECTION>_<KEY> overrides read as
// TOML values. The input is the file; after a first NUL byte, each line
// NAME=VALUE is an environment variable. The file sits in a folder holding
// every file the seeds name, so a mutated configuration reaches the checks
// between keys, not only the path checks. load_config throws qujat::Error
// with a "config.*" code and nothing else; a loaded configuration's summary
// never shows a secret's content.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.h"
#include "qujat/common/error.h"
#include "qujat/config/config.h"

namespace {

namespace fs = std::filesystem;

// Content no configuration names: the summary must never print it.
constexpr std::string_view kSecret = "fuzz-token-secret-never-in-a-summary";
constexpr std::string_view kPassword = "fuzz-password-never-in-a-summary";

struct Folder {
  fs::path dir;
  Folder() {
    dir = fs::temp_directory_path() / ("qujat-fuzz-config-" + std::to_string(::getpid()));
    for (const char* sub : {"certs/ca", "certs/nca", "keys", "var", "calendar", "tpl", "xsd"})
      fs::create_directories(dir / sub);
    // The files the seeds (examples/qujat.toml, the config tests) name.
    for (const char* file :
         {"certs/root.pem", "certs/sub.cer", "certs/list.crl", "certs/mfa.pem", "certs/mfa.cer", "certs/tls.pem",
          "certs/server.pem", "certs/mfa-ca.pem", "certs/nca/root_rsa_2020.cer", "certs/nca/root_gost_2022.cer",
          "certs/nca/nca_rsa_2022.cer", "certs/nca/nca_gost_2022.cer", "keys/tls.key", "keys/server.key",
          "keys/ministry.p12", "keys/mfa.p12", "keys/transport.p12"})
      write(file, "x");
    for (const char* file : {"keys/ministry.pass", "keys/mfa.pass"}) write(file, std::string(kPassword));
    write("keys/token.secret", std::string(kSecret));
  }
  ~Folder() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  void write(const std::string& relative, const std::string& text) const {
    std::ofstream(dir / relative, std::ios::binary) << text;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qujat;
  static const Folder folder;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto nul = input.find('\0');
  const std::string_view toml = input.substr(0, nul);

  std::map<std::string, std::string> environment{{"MFA_PASSWORD", std::string(kPassword)},
                                                 {"MINISTRY_KEY_PASSWORD", std::string(kPassword)}};
  if (nul != std::string_view::npos) {
    std::string_view rest = input.substr(nul + 1);
    while (!rest.empty()) {
      const auto end = rest.find('\n');
      const std::string_view line = rest.substr(0, end);
      const auto eq = line.find('=');
      if (eq != std::string_view::npos) environment[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 1);
    }
  }

  folder.write("qujat.toml", std::string(toml));
  try {
    const config::Config config = config::load_config(folder.dir / "qujat.toml", environment);
    const std::string summary = config.redacted_summary();
    // A configuration may quote these strings itself; only content read from
    // a secret's file or variable must stay out.
    const bool quoted =
        input.find(kSecret) != std::string_view::npos || input.find(kPassword) != std::string_view::npos;
    if (!quoted && (summary.find(kSecret) != std::string::npos || summary.find(kPassword) != std::string::npos))
      fuzz::broken("the configuration's summary shows a secret's content");
    try {
      config.require_for_serve();
    } catch (const Error& e) {
      if (e.code() != "config.missing") fuzz::broken("require_for_serve threw " + e.code());
    }
  } catch (const Error& e) {
    if (e.code().rfind("config.", 0) != 0) fuzz::broken("load_config threw " + e.code() + ": " + e.what());
    if (std::string_view(e.what()).find('\n') != std::string_view::npos)
      fuzz::broken("a configuration error is more than one line: " + std::string(e.what()));
  }
  return 0;
}
