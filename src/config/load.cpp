// The configuration's schema: every section, every key, what it accepts, and
// the checks between keys. docs/configuration.md describes the same keys for
// operators; a key added here is added there.
#include <cctype>
#include <functional>

#include "key_reader.h"
#include "qujat/common/bytes.h"
#include "qujat/common/error.h"
#include "qujat/common/source_tree.h"
#include "qujat/config/config.h"
#include "qujat/config/toml_text.h"
#include "qujat/model/identity.h"

namespace qujat::config {
namespace {

using detail::fail_at;
using detail::KeyReader;
using detail::LoadContext;
using detail::PathKind;

// A configuration file is a page of text; anything much larger is a mistake
// (or hostile) and is refused before it is parsed.
constexpr std::uintmax_t kMaxFileBytes = 1024 * 1024;
constexpr std::int64_t kMaxTimeoutSeconds = 24 * 60 * 60;
constexpr std::uintmax_t kMinTokenSecretBytes = 32;
constexpr std::int64_t kMaxChallengeTtlSeconds = 300;  // API.md: a nonce lives at most 5 minutes

// How an environment override's plain text becomes a value when it is not a
// TOML value itself.
enum class Shape {
  text,  // taken as a string
  list,  // split on ':'
  other  // must be TOML (a number, a boolean, an inline table)
};

struct KeySpec {
  std::string_view name;
  Shape shape;
  std::function<void(const KeyReader&, Config&)> read;
};

struct SectionSpec {
  std::string_view name;
  std::vector<KeySpec> keys;
  // For [officers]: any key, read by this (keys are data, not names).
  std::function<void(const KeyReader&, std::string_view key, Config&)> read_any;
};

bool is_variable_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

// The name of an environment variable that must be present in `environment`.
std::string variable_name(const KeyReader& key, const LoadContext& context) {
  auto name = key.string();
  if (name.empty()) return name;
  if (!is_variable_name(name)) key.fail("config.value", quoted_value(name) + " is not an environment variable name");
  if (!context.environment->contains(name)) key.fail("config.missing", "environment variable " + name + " is not set");
  return name;
}

// A key TOML writes without quotes; others are quoted in messages.
bool is_bare_key(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  return true;
}

bool is_port(std::string_view text, std::uint16_t& port) {
  if (text.empty() || text.size() > 5) return false;
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) return false;
  port = static_cast<std::uint16_t>(value);
  return true;
}

bool is_host(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  for (char c : host)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') return false;
  return true;
}

bool is_ipv6(std::string_view host) {
  if (host.empty() || host.size() > 45) return false;
  for (char c : host)
    if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
  return host.find(':') != std::string_view::npos;
}

void read_listen(const KeyReader& key, Config& c) {
  const auto text = key.string();
  const auto bad = [&] { key.fail("config.value", quoted_value(text) + " is not HOST:PORT"); };
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) bad();
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    if (!is_ipv6(host)) bad();
  } else if (!is_host(host)) {
    bad();
  }
  if (!is_port(std::string_view(text).substr(colon + 1), c.server.port)) bad();
  c.server.host = host;
}

// "http(s)://host[:port][/path]"; returns it without a trailing '/'.
// A WebSocket URL for NCALayer: wss://, or ws:// on a loopback host.
std::string read_ncalayer_url(const KeyReader& key) {
  const auto url = key.string();
  const auto bad = [&](const std::string& why) { key.fail("config.value", quoted_value(url) + " " + why); };
  std::string_view rest;
  if (url.starts_with("wss://"))
    rest = std::string_view(url).substr(6);
  else if (url.starts_with("ws://"))
    rest = std::string_view(url).substr(5);
  else
    bad("is not a wss:// URL");
  const auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty() || authority.find('@') != std::string_view::npos) bad("has no host");
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == ';' || c == '\'' || c == ',')
      bad("holds a character a URL may not");
  if (url.starts_with("ws://") &&
      !(authority.starts_with("127.0.0.1:") || authority.starts_with("localhost:") || authority.starts_with("[::1]:") ||
        authority == "127.0.0.1" || authority == "localhost"))
    bad("is ws:// on a host that is not loopback; use wss://");
  return url;
}

std::string read_http_url(const KeyReader& key) {
  auto url = key.string();
  if (url.empty()) return url;
  const auto bad = [&] { key.fail("config.value", quoted_value(url) + " is not an http:// or https:// URL"); };
  std::string_view rest;
  if (url.starts_with("http://"))
    rest = std::string_view(url).substr(7);
  else if (url.starts_with("https://"))
    rest = std::string_view(url).substr(8);
  else
    bad();
  const auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty() || authority.find('@') != std::string_view::npos) bad();
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) bad();
  while (url.ends_with('/')) url.pop_back();
  return url;
}

// "sqlite:PATH", a plain PATH, or a PostgreSQL URI; a relative SQLite path is
// resolved against the file's folder, whose folder must exist.
std::string read_store_url(const KeyReader& key, const std::string& url) {
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return url;
  if (url.find("://") != std::string::npos)
    key.fail("config.value", quoted_value(redacted_url(url)) + " is not sqlite:PATH or postgresql://...");
  std::string written = url.starts_with("sqlite:") ? url.substr(7) : url;
  if (written == ":memory:") return "sqlite::memory:";
  if (written.empty()) key.fail("config.value", "sqlite: names no file");
  const auto resolved = key.resolve(written);
  std::error_code ec;
  if (!std::filesystem::is_directory(resolved.parent_path(), ec))
    key.fail("config.path", "no such folder " + quoted_value(std::filesystem::path(written).parent_path().string()) +
                                " for the SQLite file");
  return "sqlite:" + resolved.string();
}

std::map<i18n::Language, std::string> read_localized(const KeyReader& key) {
  std::map<i18n::Language, std::string> out;
  for (auto&& [name, value] : key.table()) {
    const auto lang = i18n::language_from(name.str());
    if (!lang) key.fail("config.value", quoted_value(name.str()) + " is not kk, ru or en");
    const auto* text = value.as_string();
    if (text == nullptr)
      key.fail("config.type", std::string(name.str()) + ": expected a string, got " + detail::describe(value));
    if (text->get().empty()) key.fail("config.value", std::string(name.str()) + ": empty");
    out[*lang] = text->get();
  }
  return out;
}

std::optional<Instant> read_fixed_clock(const KeyReader& key) {
  if (const auto* dt = key.node().as_date_time()) {
    const auto& v = dt->get();
    if (!v.offset) key.fail("config.value", "a date-time needs an offset (2026-03-20T10:00:00+05:00)");
    const Date day{std::chrono::year{v.date.year}, std::chrono::month{v.date.month}, std::chrono::day{v.date.day}};
    return Instant{std::chrono::sys_days{day}} + std::chrono::hours{v.time.hour} + std::chrono::minutes{v.time.minute} +
           std::chrono::seconds{v.time.second} - std::chrono::minutes{v.offset->minutes};
  }
  const auto text = key.string();
  if (text.empty()) return std::nullopt;
  const auto at = parse_instant(text);
  if (!at)
    key.fail("config.value", quoted_value(text) + " is not a date-time with an offset (2026-03-20T10:00:00+05:00)");
  return at;
}

void read_cutoffs(const KeyReader& key, Config& c) {
  for (auto&& [name, value] : key.table()) {
    const std::string_view kind_name = name.str();
    std::optional<Minutes> at;
    if (const auto* s = value.as_string()) at = detail::parse_time_of_day(s->get());
    if (!at)
      key.fail("config.value",
               quoted_value(kind_name) + ": expected \"HH:MM\" (local Almaty time), got " + detail::describe(value));
    if (kind_name == "default") {
      c.procedure.default_cutoff = *at;
    } else if (const auto kind = model::parse_kind(kind_name)) {
      c.procedure.cutoff[*kind] = *at;
    } else {
      key.fail("config.value", quoted_value(kind_name) + " is neither \"default\" nor a document kind");
    }
  }
}

void read_mrp(const KeyReader& key, Config& c) {
  for (auto&& [name, value] : key.table()) {
    const std::string_view year_text = name.str();
    int year = 0;
    bool ok = year_text.size() == 4;
    for (char ch : year_text) {
      ok = ok && ch >= '0' && ch <= '9';
      if (ok) year = year * 10 + (ch - '0');
    }
    if (!ok || year < 2000) key.fail("config.value", quoted_value(year_text) + " is not a year (\"2026\")");
    const auto* tenge = value.as_integer();
    if (tenge == nullptr || tenge->get() <= 0)
      key.fail("config.value",
               quoted_value(year_text) + ": expected a positive number of tenge, got " + detail::describe(value));
    c.fees.mrp[year] = tenge->get();
  }
}

void read_officer(const KeyReader& key, std::string_view iin, Config& c) {
  if (const auto defect = model::iin_defect(iin))
    key.fail("config.value", "not a valid IIN (" + std::string(model::defect_name(*defect)) + ")");
  std::set<OfficerRole> roles;
  for (const auto& role : key.strings()) {
    if (role == "officer")
      roles.insert(OfficerRole::officer);
    else if (role == "head")
      roles.insert(OfficerRole::head);
    else
      key.fail("config.value", quoted_value(role) + " is not a role (officer | head)");
  }
  if (roles.empty()) key.fail("config.value", "no roles (officer | head)");
  c.officers[std::string(iin)] = std::move(roles);
}

template <class Enum>
Enum as_enum(std::size_t index) {
  return static_cast<Enum>(index);
}

// The schema. Sections are read in this order, whatever the file's order, so
// that checks between sections ([mfa] falls back to [issuer]) see the earlier one.
std::vector<SectionSpec> schema(const LoadContext& ctx) {
  const auto file = [](const KeyReader& k) { return k.path(PathKind::file); };
  const auto folder = [](const KeyReader& k) { return k.path(PathKind::folder); };
  return {
      {"server",
       {
           {"listen", Shape::text, read_listen},
           {"tls_cert", Shape::text, [=](auto& k, Config& c) { c.server.tls_cert = file(k); }},
           {"tls_key", Shape::text, [=](auto& k, Config& c) { c.server.tls_key = file(k); }},
           {"public_url", Shape::text, [](auto& k, Config& c) { c.server.public_url = read_http_url(k); }},
           {"max_body_bytes", Shape::other,
            [](auto& k, Config& c) { c.server.max_body_bytes = static_cast<std::uint64_t>(k.integer(1, 1LL << 40)); }},
           {"header_timeout_seconds", Shape::other,
            [](auto& k, Config& c) { c.server.header_timeout = k.seconds(1, kMaxTimeoutSeconds); }},
           {"body_timeout_seconds", Shape::other,
            [](auto& k, Config& c) { c.server.body_timeout = k.seconds(1, kMaxTimeoutSeconds); }},
           {"idle_timeout_seconds", Shape::other,
            [](auto& k, Config& c) { c.server.idle_timeout = k.seconds(1, kMaxTimeoutSeconds); }},
           {"threads", Shape::other,
            [](auto& k, Config& c) { c.server.threads = static_cast<unsigned>(k.integer(0, 1024)); }},
           {"max_connections", Shape::other,
            [](auto& k, Config& c) { c.server.max_connections = static_cast<unsigned>(k.integer(1, 1000000)); }},
       },
       {}},
      {"store",
       {
           {"url", Shape::text,
            [](auto& k, Config& c) { c.store.url = k.string().empty() ? "" : read_store_url(k, k.string()); }},
           {"url_env", Shape::text,
            [&ctx](auto& k, Config& c) {
              c.store.url_env = variable_name(k, ctx);
              if (!c.store.url_env.empty()) c.store.url = read_store_url(k, ctx.environment->at(c.store.url_env));
            }},
       },
       {}},
      {"trust",
       {
           {"anchors", Shape::list, [](auto& k, Config& c) { c.trust.anchors = k.paths(PathKind::file_or_folder); }},
           {"intermediates", Shape::list,
            [](auto& k, Config& c) { c.trust.intermediates = k.paths(PathKind::file_or_folder); }},
           {"crls", Shape::list, [](auto& k, Config& c) { c.trust.crls = k.paths(PathKind::file); }},
           {"revocation", Shape::text,
            [](auto& k, Config& c) {
              c.trust.revocation = as_enum<Revocation>(k.choice({"none", "crl", "ocsp", "crl-or-ocsp"}));
            }},
       },
       {}},
      {"issuer",
       {
           {"key", Shape::text, [=](auto& k, Config& c) { c.issuer.key.key = file(k); }},
           {"password_file", Shape::text, [=](auto& k, Config& c) { c.issuer.key.password_file = file(k); }},
           {"password_env", Shape::text,
            [&ctx](auto& k, Config& c) { c.issuer.key.password_env = variable_name(k, ctx); }},
           {"body", Shape::other, [](auto& k, Config& c) { c.issuer.body = read_localized(k); }},
           {"position", Shape::other, [](auto& k, Config& c) { c.issuer.position = read_localized(k); }},
           {"full_name", Shape::text, [](auto& k, Config& c) { c.issuer.full_name = k.string(); }},
       },
       {}},
      {"officers", {}, read_officer},
      {"mfa",
       {
           {"endpoint", Shape::text, [](auto& k, Config& c) { c.mfa.endpoint = read_http_url(k); }},
           {"certificate", Shape::text, [=](auto& k, Config& c) { c.mfa.certificate = file(k); }},
           {"transport_key", Shape::text, [=](auto& k, Config& c) { c.mfa.transport.key = file(k); }},
           {"transport_password_file", Shape::text,
            [=](auto& k, Config& c) { c.mfa.transport.password_file = file(k); }},
           {"transport_password_env", Shape::text,
            [&ctx](auto& k, Config& c) { c.mfa.transport.password_env = variable_name(k, ctx); }},
           {"ca_file", Shape::text, [=](auto& k, Config& c) { c.mfa.ca_file = file(k); }},
           {"answer", Shape::text,
            [](auto& k, Config& c) {
              c.mfa.answer = as_enum<MfaAnswer>(k.choice({"callback", "poll"}));
            }},
           {"connect_timeout_seconds", Shape::other,
            [](auto& k, Config& c) { c.mfa.connect_timeout = k.seconds(1, 600); }},
           {"timeout_seconds", Shape::other, [](auto& k, Config& c) { c.mfa.timeout = k.seconds(1, 3600); }},
           {"max_attempts", Shape::other,
            [](auto& k, Config& c) { c.mfa.max_attempts = static_cast<int>(k.integer(1, 1000)); }},
           {"backoff_initial_seconds", Shape::other,
            [](auto& k, Config& c) { c.mfa.backoff_initial = k.seconds(1, kMaxTimeoutSeconds); }},
           {"backoff_max_seconds", Shape::other,
            [](auto& k, Config& c) { c.mfa.backoff_max = k.seconds(1, 7 * kMaxTimeoutSeconds); }},
           {"poll_interval_seconds", Shape::other,
            [](auto& k, Config& c) { c.mfa.poll_interval = k.seconds(1, kMaxTimeoutSeconds); }},
       },
       {}},
      {"clock", {{"fixed", Shape::text, [](auto& k, Config& c) { c.clock.fixed = read_fixed_clock(k); }}}, {}},
      {"auth",
       {
           {"token_secret_file", Shape::text,
            [=](auto& k, Config& c) {
              c.auth.token_secret_file = file(k);
              if (c.auth.token_secret_file.empty()) return;
              std::error_code ec;
              const auto size = std::filesystem::file_size(c.auth.token_secret_file, ec);
              if (ec || size < kMinTokenSecretBytes)
                k.fail("config.value", quoted_value(k.string()) + " holds " + std::to_string(ec ? 0 : size) +
                                           " bytes, at least " + std::to_string(kMinTokenSecretBytes) + " are needed");
            }},
           {"token_ttl_seconds", Shape::other,
            [](auto& k, Config& c) { c.auth.token_ttl = k.seconds(60, kMaxTimeoutSeconds); }},
           {"challenge_ttl_seconds", Shape::other,
            [](auto& k, Config& c) { c.auth.challenge_ttl = k.seconds(1, kMaxChallengeTtlSeconds); }},
       },
       {}},
      {"procedure",
       {
           {"calendar_dir", Shape::text, [=](auto& k, Config& c) { c.procedure.calendar_dir = folder(k); }},
           {"cutoff", Shape::other, read_cutoffs},
       },
       {}},
      {"fees", {{"mrp", Shape::other, read_mrp}}, {}},
      {"paths",
       {
           {"templates", Shape::text, [=](auto& k, Config& c) { c.paths.templates = folder(k); }},
           {"schemas", Shape::text, [=](auto& k, Config& c) { c.paths.schemas = folder(k); }},
       },
       {}},
      {"web",
       {{"ncalayer_url", Shape::text, [](auto& k, Config& c) { c.web.ncalayer_url = read_ncalayer_url(k); }}},
       {}},
      {"log",
       {{"level", Shape::text,
         [](auto& k, Config& c) {
           c.log.level = as_enum<LogLevel>(k.choice({"debug", "info", "warn", "error"}));
         }}},
       {}},
  };
}

std::string read_text(const Path& file) {
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (!std::filesystem::exists(status))
    throw Error("config.file", "config: no such file " + quoted_value(file.string()));
  if (!std::filesystem::is_regular_file(status))
    throw Error("config.file", "config: " + quoted_value(file.string()) + " is not a file");
  try {
    return std::string(as_chars(read_file(file.string(), kMaxFileBytes)));
  } catch (const Error& e) {
    throw Error("config.file", std::string("config: ") + e.what());
  }
}

// An environment value as a TOML value in a one-key table {"v": value}.
toml::table override_value(const std::string& text, Shape shape) {
  toml::table parsed;
  bool is_toml = false;
  try {
    parsed = parse_toml("v = " + text, "environment", "config");
    // A value with a newline could smuggle in more keys: then it is plain text.
    is_toml = parsed.size() == 1 && parsed.contains("v");
  } catch (const Error&) {
  }
  switch (shape) {
    case Shape::text:
      if (is_toml && parsed["v"].is_string()) return parsed;
      return toml::table{{"v", text}};
    case Shape::list: {
      if (is_toml && parsed["v"].is_array()) return parsed;
      toml::array items;
      std::size_t start = 0;
      while (!text.empty() && start <= text.size()) {
        const auto end = std::min(text.find(':', start), text.size());
        items.push_back(text.substr(start, end - start));
        start = end + 1;
      }
      return toml::table{{"v", std::move(items)}};
    }
    case Shape::other:
      if (is_toml) return parsed;
      return toml::table{{"v", text}};
  }
  return parsed;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const KeySpec* find_key(const SectionSpec& section, std::string_view name) {
  for (const auto& key : section.keys)
    if (key.name == name) return &key;
  return nullptr;
}

Path locate_calendar() {
  std::error_code ec;
  for (const Path& candidate : {source_tree() / "calendar", Path("/usr/share/qujat/calendar")})
    if (std::filesystem::is_directory(candidate, ec)) return candidate;
  return {};
}

// Checks between keys, once every section is read.
void check_together(const LoadContext& ctx, Config& c) {
  if (c.server.tls_cert.empty() != c.server.tls_key.empty())
    fail_at(ctx, "server", c.server.tls_cert.empty() ? "tls_cert" : "tls_key", "config.missing",
            "HTTPS needs both tls_cert and tls_key");

  if (c.store.url.empty()) fail_at(ctx, "store", "url", "config.missing", "required (or url_env)");
  if (c.trust.anchors.empty())
    fail_at(ctx, "trust", "anchors", "config.missing", "required: at least one certificate file or folder");

  const auto check_key = [&](std::string_view section, const KeySource& k, std::string_view key,
                             std::string_view password_file, std::string_view password_env) {
    const bool file = !k.password_file.empty();
    const bool env = !k.password_env.empty();
    if (!k.configured() && (file || env))
      fail_at(ctx, section, file ? password_file : password_env, "config.value",
              "a password without " + std::string(key));
    if (k.configured() && file && env)
      fail_at(ctx, section, password_env, "config.value",
              "give " + std::string(password_file) + " or " + std::string(password_env) + ", not both");
    if (k.configured() && !file && !env)
      fail_at(ctx, section, password_file, "config.missing",
              std::string(key) + " needs " + std::string(password_file) + " or " + std::string(password_env));
  };
  check_key("issuer", c.issuer.key, "key", "password_file", "password_env");
  check_key("mfa", c.mfa.transport, "transport_key", "transport_password_file", "transport_password_env");
  if (!c.mfa.transport.configured()) c.mfa.transport = c.issuer.key;

  if (c.mfa.backoff_max < c.mfa.backoff_initial)
    fail_at(ctx, "mfa", "backoff_max_seconds", "config.value",
            std::to_string(c.mfa.backoff_max.count()) + " is less than backoff_initial_seconds " +
                std::to_string(c.mfa.backoff_initial.count()));

  if (c.procedure.calendar_dir.empty()) {
    c.procedure.calendar_dir = locate_calendar();
    if (c.procedure.calendar_dir.empty())
      fail_at(ctx, "procedure", "calendar_dir", "config.missing",
              "not set, and no calendar/ in the source tree or /usr/share/qujat");
  }
}

}  // namespace

Config load_config(const Path& file, const std::map<std::string, std::string>& environment) {
  const Path absolute = std::filesystem::absolute(file).lexically_normal();
  const std::string text = read_text(absolute);
  const toml::table root = parse_toml(text, absolute.string(), "config");

  LoadContext ctx;
  ctx.base_dir = absolute.parent_path();
  ctx.environment = &environment;
  const auto sections = schema(ctx);

  for (auto&& [name, node] : root) {
    bool known = false;
    for (const auto& s : sections) known = known || s.name == name.str();
    if (!known) {
      if (node.is_table())
        throw Error("config.unknown_section", "config: [" + std::string(name.str()) + "]: unknown section");
      throw Error("config.unknown_key", "config: " + std::string(name.str()) + ": unknown key outside any section");
    }
    if (!node.is_table())
      throw Error("config.type",
                  "config: [" + std::string(name.str()) + "]: expected a table, got " + detail::describe(node));
  }

  // QUJAT_<SECTION>_<KEY>: the first word names the section; a variable whose
  // first word is no section (QUJAT_TRUST, QUJAT_SHARED_DIR) is another tool's.
  std::map<std::string, std::map<std::string, toml::table>> overrides;  // section -> key -> {"v": value}
  for (const auto& [variable, value] : environment) {
    if (!variable.starts_with("QUJAT_") || variable != upper(variable)) continue;
    const std::string rest = variable.substr(6);
    const auto underscore = rest.find('_');
    if (underscore == std::string::npos || underscore + 1 == rest.size()) continue;
    const std::string section = lower(rest.substr(0, underscore));
    const std::string key = lower(rest.substr(underscore + 1));
    for (const auto& s : sections) {
      if (s.name != section) continue;
      const auto* spec = find_key(s, key);
      // Officers' keys are IINs: digits, the same in either case.
      const Shape shape = spec != nullptr ? spec->shape : (s.read_any ? Shape::list : Shape::text);
      overrides[section][key] = override_value(value, shape);
      ctx.overridden_by[section + "." + key] = variable;
    }
  }

  Config config;
  config.file = absolute;
  for (const auto& s : sections) {
    std::map<std::string, const toml::node*> values;
    if (const auto* table = root[s.name].as_table())
      for (auto&& [name, node] : *table) values[std::string(name.str())] = &node;
    if (auto it = overrides.find(std::string(s.name)); it != overrides.end())
      for (const auto& [key, holder] : it->second) values[key] = holder.get("v");
    for (const auto& [key, node] : values) {
      const KeyReader reader(ctx, s.name, is_bare_key(key) ? key : quoted_value(key), *node);
      if (s.read_any) {
        s.read_any(reader, key, config);
      } else if (const auto* spec = find_key(s, key)) {
        spec->read(reader, config);
      } else {
        reader.fail("config.unknown_key", "unknown key");
      }
    }
  }
  check_together(ctx, config);
  return config;
}

std::map<std::string, std::string> environment_snapshot(const char* const* entries) {
  std::map<std::string, std::string> out;
  for (; entries != nullptr && *entries != nullptr; ++entries) {
    const std::string_view entry{*entries};
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    out.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return out;
}

}  // namespace qujat::config
