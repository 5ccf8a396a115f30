// What the start-up log says about the configuration. A log is read by more
// people than the configuration file: passwords never appear, secrets are
// named by their file or variable, officers are counted, not listed (IINs are
// personal data).
#include <cctype>
#include <cstdio>
#include <sstream>

#include "qujat/config/config.h"

namespace qujat::config {

std::string_view revocation_name(Revocation r) noexcept {
  switch (r) {
    case Revocation::none:
      return "none";
    case Revocation::crl:
      return "crl";
    case Revocation::ocsp:
      return "ocsp";
    case Revocation::crl_or_ocsp:
      return "crl-or-ocsp";
  }
  return "?";
}

std::string_view officer_role_name(OfficerRole r) noexcept { return r == OfficerRole::head ? "head" : "officer"; }

std::string_view log_level_name(LogLevel l) noexcept {
  switch (l) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
  }
  return "?";
}

std::string redacted_url(std::string_view url) {
  std::string out(url);
  // scheme://user:PASSWORD@host
  if (const auto scheme = out.find("://"); scheme != std::string::npos) {
    const auto start = scheme + 3;
    const auto end = std::min(out.find_first_of("/?#", start), out.size());
    const auto at = out.rfind('@', end);
    if (at != std::string::npos && at >= start) {
      const auto colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // ?password=... and key=value connection strings (also sslpassword=...)
  std::string lowered = out;
  for (auto& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::size_t pos = lowered.find("password="); pos != std::string::npos;
       pos = lowered.find("password=", pos + 1)) {
    const auto value = pos + 9;
    const auto end = std::min(out.find_first_of("& ", value), out.size());
    out.replace(value, end - value, "***");
    lowered.replace(value, end - value, "***");
  }
  return out;
}

namespace {
std::string list(const std::vector<Path>& paths) {
  if (paths.empty()) return "(none)";
  std::string out;
  for (const auto& p : paths) out += (out.empty() ? "" : ",") + p.string();
  return out;
}

std::string or_default(const Path& p, std::string_view fallback) {
  return p.empty() ? std::string(fallback) : p.string();
}

std::string time_of_day(Minutes m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(m.count() / 60), static_cast<int>(m.count() % 60));
  return buf;
}

// Where a key's password comes from, never the password.
std::string password_source(const KeySource& k) {
  if (!k.password_file.empty()) return "password_file=" + k.password_file.string();
  if (!k.password_env.empty()) return "password_env=$" + k.password_env;
  return "password=(none)";
}
}  // namespace

std::string Config::redacted_summary() const {
  std::ostringstream out;
  out << "config " << file.string() << "\n";
  out << "[server] listen=" << (server.host.find(':') != std::string::npos ? "[" + server.host + "]" : server.host)
      << ":" << server.port << " https=" << (server.https() ? "yes" : "no");
  if (server.https()) out << " tls_cert=" << server.tls_cert.string() << " tls_key=" << server.tls_key.string();
  out << " public_url=" << (server.public_url.empty() ? "(the bound address)" : server.public_url)
      << " threads=" << (server.threads == 0 ? std::string("(one per core)") : std::to_string(server.threads))
      << " max_connections=" << server.max_connections << " max_body_bytes=" << server.max_body_bytes
      << " header_timeout=" << server.header_timeout.count() << "s body_timeout=" << server.body_timeout.count()
      << "s idle_timeout=" << server.idle_timeout.count() << "s\n";
  out << "[store] url=" << redacted_url(store.url);
  if (!store.url_env.empty()) out << " (from $" << store.url_env << ")";
  out << "\n";
  out << "[trust] anchors=" << list(trust.anchors) << " intermediates=" << list(trust.intermediates)
      << " crls=" << list(trust.crls) << " revocation=" << revocation_name(trust.revocation) << "\n";
  out << "[issuer] key=" << or_default(issuer.key.key, "(none)");
  if (issuer.key.configured()) out << " " << password_source(issuer.key);
  if (!issuer.full_name.empty()) out << " full_name=" << issuer.full_name;
  out << "\n";
  out << "[officers] " << officers.size() << " IIN(s)\n";
  out << "[mfa] endpoint=" << (mfa.endpoint.empty() ? std::string("(none)") : redacted_url(mfa.endpoint))
      << " answer=" << (mfa.answer == MfaAnswer::poll ? "poll" : "callback")
      << " certificate=" << or_default(mfa.certificate, "(none)")
      << " transport_key=" << or_default(mfa.transport.key, "(none)");
  if (mfa.transport.configured()) out << " " << password_source(mfa.transport);
  out << " ca_file=" << or_default(mfa.ca_file, "(system)") << " connect_timeout=" << mfa.connect_timeout.count()
      << "s timeout=" << mfa.timeout.count() << "s max_attempts=" << mfa.max_attempts
      << " backoff=" << mfa.backoff_initial.count() << ".." << mfa.backoff_max.count()
      << "s poll_interval=" << mfa.poll_interval.count() << "s\n";
  out << "[clock] "
      << (clock.fixed ? "fixed=" + format_instant_utc(*clock.fixed) + " (tests and demos only)" : std::string("system"))
      << "\n";
  out << "[auth] token_secret_file=" << or_default(auth.token_secret_file, "(none)")
      << " token_ttl=" << auth.token_ttl.count() << "s challenge_ttl=" << auth.challenge_ttl.count() << "s\n";
  out << "[procedure] calendar_dir=" << procedure.calendar_dir.string()
      << " cutoff default=" << time_of_day(procedure.default_cutoff);
  for (const auto& [kind, at] : procedure.cutoff) out << " " << model::kind_name(kind) << "=" << time_of_day(at);
  out << "\n";
  out << "[fees] mrp";
  for (const auto& [year, tenge] : fees.mrp) out << " " << year << "=" << tenge;
  out << "\n";
  out << "[paths] templates=" << or_default(paths.templates, "(built-in)")
      << " schemas=" << or_default(paths.schemas, "(built-in)") << "\n";
  out << "[log] level=" << log_level_name(log.level) << "\n";
  return out.str();
}

}  // namespace qujat::config
