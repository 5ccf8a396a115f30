// The service's settings, read once at start from one TOML file and the
// QUJAT_<SECTION>_<KEY> environment overrides, checked, and passed down. Every
// path is absolute (relative ones are resolved against the file's folder),
// every enum parsed, every required key present: code below this point never
// re-validates a setting and never reads the environment.
// docs/configuration.md lists every key; ../shared/docs/API.md fixes some.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "qujat/common/time.h"
#include "qujat/i18n/messages.h"
#include "qujat/model/kind.h"

namespace qujat::config {

using Path = std::filesystem::path;
using Seconds = std::chrono::seconds;
using Minutes = std::chrono::minutes;

struct ServerSettings {
  std::string host = "127.0.0.1";  // from `listen` "HOST:PORT"; IPv6 as "[::1]:8080" gives "::1"
  std::uint16_t port = 8080;       // 0: the system picks one
  Path tls_cert;                   // HTTPS when both are set (load checks they come together)
  Path tls_key;
  std::string public_url;  // base of QR links, no trailing '/'; "" = the bound address
  std::uint64_t max_body_bytes = 16 * 1024 * 1024;
  Seconds header_timeout{10};  // the whole request head must arrive within this
  Seconds body_timeout{60};
  Seconds idle_timeout{30};  // keep-alive
  unsigned threads = 0;      // 0: one per core
  unsigned max_connections = 1024;

  bool https() const { return !tls_cert.empty(); }
};

struct StoreSettings {
  // "sqlite:PATH" (PATH absolute), "sqlite::memory:" or "postgresql://...":
  // what store::open_database takes. When `url_env` is set this is the value
  // of that environment variable.
  std::string url;
  std::string url_env;  // the variable's name, for the start-up log
};

enum class Revocation { none, crl, ocsp, crl_or_ocsp };

struct TrustSettings {
  std::vector<Path> anchors;  // never empty: files or folders (PEM or DER)
  std::vector<Path> intermediates;
  std::vector<Path> crls;  // files, re-read when they change
  Revocation revocation = Revocation::crl;
};

// A PKCS#12 key file and where its password comes from: a file, or the name
// of an environment variable (the password itself is never in a Config).
struct KeySource {
  Path key;
  Path password_file;
  std::string password_env;

  bool configured() const { return !key.empty(); }
};

// The ministry's signing key and the signing official as printed on documents.
struct IssuerSettings {
  KeySource key;
  std::map<i18n::Language, std::string> body;      // the licensor body (box 19 / box 15)
  std::map<i18n::Language, std::string> position;  // the signing official's position
  std::string full_name;
};

enum class OfficerRole { officer, head };

enum class MfaAnswer { callback, poll };

struct MfaSettings {
  std::string endpoint;  // http(s) URL of the MFA gateway; "" = none configured
  Path certificate;      // the MFA's certificate: callbacks are verified against it
  KeySource transport;   // the WS-Security signing key; [issuer] key when not set
  Path ca_file;          // TLS trust for an https endpoint; "" = the system's
  MfaAnswer answer = MfaAnswer::callback;
  Seconds connect_timeout{5};
  Seconds timeout{30};
  int max_attempts = 8;
  Seconds backoff_initial{2};
  Seconds backoff_max{600};
  Seconds poll_interval{60};
};

struct ClockSettings {
  std::optional<Instant> fixed;  // tests and demos only: the service runs on a FixedClock
};

struct AuthSettings {
  Path token_secret_file;  // at least 32 bytes (checked at load)
  Seconds token_ttl{1800};
  Seconds challenge_ttl{300};  // at most 300: API.md "at most 5 minutes"
};

struct ProcedureSettings {
  Path calendar_dir;  // holds one YYYY.toml per year (workflow::WorkingCalendar)
  // Registration cut-off, local Almaty time since midnight: received at or
  // after it, an application registers on the next working day. Defaults
  // from the seeds (SPEC.md section 3): 18:30, the end of the working day;
  // 16:00 for seed 000's licences (000: 559-561); 17:00 for the re-export
  // permit (002). The file's `cutoff` table adds or replaces entries.
  Minutes default_cutoff{18 * 60 + 30};
  std::map<model::Kind, Minutes> cutoff{
      {model::Kind::export_licence, Minutes{16 * 60}},
      {model::Kind::import_licence, Minutes{16 * 60}},
      {model::Kind::general_export_licence, Minutes{16 * 60}},
      {model::Kind::reexport_permit, Minutes{17 * 60}},
  };

  Minutes cutoff_for(model::Kind kind) const;
};

struct FeesSettings {
  // MRP (monthly calculation index), tenge per calendar year, from the budget
  // laws: 3,932 in 2025, 4,325 in 2026; the file adds or replaces years.
  std::map<int, std::int64_t> mrp{{2025, 3932}, {2026, 4325}};

  // nullopt for a year the configuration does not know (never a guess).
  std::optional<std::int64_t> mrp_for(int year) const;
};

struct PathsSettings {
  Path templates;  // "" = the built-in search (source tree, /usr/share/qujat)
  Path schemas;
};

// The web pages (docs/web.md): where the page's script finds NCALayer, the
// NCA's desktop signer. wss://127.0.0.1:13579/ is NCALayer itself; ws:// is
// accepted on a loopback host only (the stand-in of the browser tests).
struct WebSettings {
  std::string ncalayer_url = "wss://127.0.0.1:13579/";
};

enum class LogLevel { debug, info, warn, error };

struct LogSettings {
  LogLevel level = LogLevel::info;
};

struct Config {
  Path file;  // the file it was read from (absolute)

  ServerSettings server;
  StoreSettings store;
  TrustSettings trust;
  IssuerSettings issuer;
  std::map<std::string, std::set<OfficerRole>> officers;  // IIN -> roles
  MfaSettings mfa;
  ClockSettings clock;
  AuthSettings auth;
  ProcedureSettings procedure;
  FeesSettings fees;
  PathsSettings paths;
  WebSettings web;
  LogSettings log;

  // What `qujat serve` needs beyond what every command needs: the issuer's
  // key, password and printed names, the token secret and the MFA endpoint.
  // Throws Error("config.missing") naming the first key that is not set.
  void require_for_serve() const;

  // Several lines for the start-up log: every setting, with the store URL's
  // password replaced by "***" and secrets named by their file or variable
  // only, never their content.
  std::string redacted_summary() const;
};

// Reads `file`, applies the overrides found in `environment` and checks
// everything. `environment` is the process's environment as the front end saw
// it (environment_snapshot); entries QUJAT_<SECTION>_<KEY> whose SECTION names
// a section override that key (other QUJAT_ variables are left alone). An
// override's value is read as a TOML value when it is one (["a", "b"], 42,
// true, "text"), else as a string; a plain string for a list key is split on
// ':'. Every problem throws qujat::Error with a "config.*" code and a one-line
// message naming the key:
//   config.file            no such file, or unreadable
//   config.syntax          not TOML (file:line:column)
//   config.unknown_section, config.unknown_key   typos must not pass
//   config.type            wrong TOML type
//   config.value           a value out of range or of the wrong form
//   config.path            a named file or folder does not exist
//   config.missing         a required key is not set (or its variable)
Config load_config(const Path& file, const std::map<std::string, std::string>& environment);

// NAME=VALUE entries of a null-terminated array such as `environ`.
std::map<std::string, std::string> environment_snapshot(const char* const* entries);

// `url` with a password (user:PASSWORD@, password=...) replaced by "***".
std::string redacted_url(std::string_view url);

std::string_view revocation_name(Revocation r) noexcept;
std::string_view officer_role_name(OfficerRole r) noexcept;
std::string_view log_level_name(LogLevel l) noexcept;

}  // namespace qujat::config
