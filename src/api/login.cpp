#include "qujat/api/login.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <nlohmann/json.hpp>

#include "qujat/dsig/cms.h"
#include "qujat/dsig/xmldsig.h"
#include "qujat/http/api_error.h"
#include "qujat/pki/certificate.h"
#include "qujat/xml/document.h"

namespace qujat::api {
namespace {

http::ApiError unauthorised(const std::string& code, nlohmann::json problems = nlohmann::json::array()) {
  auto e = http::ApiError::from(api_messages(), 401, code);
  if (!problems.empty()) e.with_problems(std::move(problems));
  return e;
}

std::string base64url(ByteView data) {
  std::string s = base64_encode(data);
  for (auto& c : s) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

std::optional<Bytes> base64url_decode(std::string_view text) {
  std::string s(text);
  for (auto& c : s) {
    if (c == '+' || c == '/' || c == '=') return std::nullopt;  // one spelling only
    c = c == '-' ? '+' : c == '_' ? '/' : c;
  }
  while (s.size() % 4 != 0) s += '=';
  return base64_decode(s);
}

std::string random_hex(std::size_t bytes) {
  Bytes b(bytes);
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) throw OpenSslError("auth.random", "no random bytes");
  return hex_encode(b);
}

std::int64_t seconds(Instant t) { return t.time_since_epoch().count(); }

// The problems of a refused login signature, as intake words them.
nlohmann::json signature_problems(const dsig::VerificationReport& report) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : report.problems) {
    auto j = p.to_json();
    j["path"] = "/signature";
    out.push_back(std::move(j));
  }
  for (const auto& s : report.signatures)
    for (const auto& p : s.problems) {
      auto j = p.to_json();
      j["path"] = "/signature";
      out.push_back(std::move(j));
    }
  return out;
}

}  // namespace

const i18n::MessageCatalogue& api_messages() { return i18n::MessageCatalogue::standard("api"); }

EdsLogin::EdsLogin(store::Database& db, const Clock& clock, LoginSettings settings)
    : db_(db), clock_(clock), settings_(std::move(settings)) {
  if (settings_.token_secret.size() < 32)
    throw Error("auth.secret", "the token secret must be at least 32 bytes (auth.token_secret_file)");
  // A login may use either key of the person: NCA issues AUTH and SIGN keys.
  settings_.trust.require_signing_key = false;
}

Challenge EdsLogin::challenge() const {
  const Instant now = clock_.now();
  Challenge c{random_hex(32), now + settings_.challenge_ttl};
  db_.write([&](store::Transaction& tx) {
    // Spent and expired nonces are only kept long enough to refuse a replay.
    tx.execute("DELETE FROM login_challenges WHERE expires_at < ?", {seconds(now) - 3600});
    tx.execute("INSERT INTO login_challenges (nonce, expires_at, used_at) VALUES (?, ?, NULL)",
               {c.nonce, seconds(c.expires_at)});
  });
  return c;
}

void EdsLogin::spend(std::string_view nonce) const {
  const Instant now = clock_.now();
  std::string code;
  db_.write([&](store::Transaction& tx) {
    code.clear();
    const auto row = tx.query_row(
        std::string("SELECT expires_at, used_at FROM login_challenges WHERE nonce = ?") + std::string(tx.lock_rows()),
        {std::string(nonce)});
    if (!row) {
      code = "auth.nonce_unknown";
    } else if (!row->is_null(1)) {
      code = "auth.nonce_used";
    } else if (row->integer(0) <= seconds(now)) {
      code = "auth.nonce_expired";
    } else if (tx.execute("UPDATE login_challenges SET used_at = ? WHERE nonce = ? AND used_at IS NULL",
                          {seconds(now), std::string(nonce)}) != 1) {
      code = "auth.nonce_used";
    }
  });
  if (!code.empty()) throw unauthorised(code);
}

IssuedToken EdsLogin::finish(const dsig::VerificationReport& report, std::string_view signed_nonce) const {
  if (report.malformed || report.signatures.empty())
    throw unauthorised("auth.signature_unreadable", signature_problems(report));
  if (report.signatures.size() != 1) throw unauthorised("auth.one_signer");
  const auto& s = report.signatures.front();
  if (!s.valid) throw unauthorised("auth.signature_rejected", signature_problems(report));
  // Where the office checks revocation, "not revoked" must be shown, not assumed.
  if (settings_.trust.revocation != nullptr && s.revocation != pki::RevocationStatus::Good)
    throw unauthorised("auth.revocation_unknown", signature_problems(report));
  if (s.signer.iin.empty()) throw unauthorised("auth.no_iin");
  spend(signed_nonce);

  workflow::Actor subject{s.signer.iin, s.signer.bin, s.signer.common_name, {}};
  if (const auto it = settings_.officers.find(subject.iin); it != settings_.officers.end()) {
    subject.roles.assign(it->second.begin(), it->second.end());
  } else {
    subject.roles.push_back("applicant");
    for (const auto role : s.signer.roles) subject.roles.emplace_back(pki::name(role));
  }
  return issue(subject);
}

IssuedToken EdsLogin::login_with_cms(ByteView cms) const {
  auto options = settings_.trust;
  options.at = clock_.now();
  const auto report = dsig::verify_cms(cms, std::nullopt, options);
  std::optional<Bytes> content;
  try {
    content = dsig::cms_content(cms);
  } catch (const Error&) {
  }
  if (report.malformed || !content) throw unauthorised("auth.signature_unreadable", signature_problems(report));
  // The signed content is the nonce itself; anything else names no nonce.
  const std::string nonce(as_chars(*content));
  if (nonce.size() != 64 || nonce.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw unauthorised("auth.nonce_unknown");
  return finish(report, nonce);
}

IssuedToken EdsLogin::login_with_xml(std::string_view xml_text) const {
  auto options = settings_.trust;
  options.at = clock_.now();
  const auto report = dsig::verify_xml(xml_text, options);
  if (report.malformed) throw unauthorised("auth.signature_unreadable", signature_problems(report));
  std::string nonce;
  try {
    const auto doc = xml::Document::parse(xml_text, options.xml_limits);
    const auto* root = doc.root();
    if (root != nullptr && xml::is_element(root, "", "login"))
      if (const auto* n = xml::first_child_element(root, "", "nonce")) nonce = xml::text_content(n);
  } catch (const Error&) {
    throw unauthorised("auth.signature_unreadable");
  }
  if (nonce.size() != 64 || nonce.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw unauthorised("auth.nonce_unknown");
  return finish(report, nonce);
}

std::string EdsLogin::mac(std::string_view payload) const {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), settings_.token_secret.data(), static_cast<int>(settings_.token_secret.size()),
           reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), out, &length) == nullptr)
    throw OpenSslError("auth.hmac", "HMAC-SHA256 failed");
  return base64url(ByteView(out, length));
}

IssuedToken EdsLogin::issue(const workflow::Actor& subject) const {
  const Instant now = clock_.now();
  const Instant expires = now + settings_.token_ttl;
  const nlohmann::json claims = {{"iin", subject.iin},     {"bin", subject.bin},  {"name", subject.name},
                                 {"roles", subject.roles}, {"iat", seconds(now)}, {"exp", seconds(expires)}};
  const std::string payload = base64url(as_bytes(claims.dump()));
  return {"v1." + payload + "." + mac("v1." + payload), expires, subject};
}

std::optional<workflow::Actor> EdsLogin::subject_of(std::string_view token) const {
  if (token.size() > 4096 || !token.starts_with("v1.")) return std::nullopt;
  const std::int64_t now = seconds(clock_.now());
  {
    std::lock_guard lock(proven_mutex_);
    if (const auto it = proven_.find(token); it != proven_.end()) {
      if (it->second.expires <= now) return std::nullopt;
      return it->second.subject;
    }
  }
  const auto dot = token.rfind('.');
  if (dot <= 3) return std::nullopt;
  const std::string expected = mac(token.substr(0, dot));
  const auto given = token.substr(dot + 1);
  if (given.size() != expected.size() || CRYPTO_memcmp(given.data(), expected.data(), given.size()) != 0)
    return std::nullopt;
  const auto payload = base64url_decode(token.substr(3, dot - 3));
  if (!payload) return std::nullopt;
  const auto claims = nlohmann::json::parse(as_chars(*payload), nullptr, false);
  if (!claims.is_object()) return std::nullopt;
  try {
    const auto expires = claims.at("exp").get<std::int64_t>();
    if (expires <= now) return std::nullopt;
    workflow::Actor subject{claims.at("iin").get<std::string>(), claims.at("bin").get<std::string>(),
                            claims.at("name").get<std::string>(), claims.at("roles").get<std::vector<std::string>>()};
    // Bounded: at 4096 tokens the memory is dropped and refilled by use.
    constexpr std::size_t kMaxProvenTokens = 4096;
    std::lock_guard lock(proven_mutex_);
    if (proven_.size() >= kMaxProvenTokens) proven_.clear();
    proven_.try_emplace(std::string(token), ProvenToken{subject, expires});
    return subject;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::optional<std::string> EdsLogin::token_of(const http::Request& request) {
  if (const auto auth = request.header("Authorization")) {
    if (auth->size() > 7 && http::iequals(auth->substr(0, 7), "Bearer ")) {
      auto t = auth->substr(7);
      while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
      return std::string(t);
    }
    return std::string();  // another scheme: a token that never verifies
  }
  for (const auto cookies : request.headers.all("Cookie")) {
    std::string_view rest = cookies;
    while (!rest.empty()) {
      const auto semi = rest.find(';');
      auto item = rest.substr(0, semi);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      const auto eq = item.find('=');
      if (eq != std::string_view::npos && item.substr(0, eq) == kSessionCookie) return std::string(item.substr(eq + 1));
      if (semi == std::string_view::npos) break;
      rest.remove_prefix(semi + 1);
    }
  }
  return std::nullopt;
}

workflow::Actor EdsLogin::authenticate(const http::Request& request) const {
  const auto token = token_of(request);
  if (!token) throw unauthorised("auth.token_missing");
  auto subject = subject_of(*token);
  if (!subject) throw unauthorised("auth.token_invalid");
  return std::move(*subject);
}

}  // namespace qujat::api
