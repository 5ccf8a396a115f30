#include "qujat/web/browser_session.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cctype>

#include "qujat/common/bytes.h"
#include "qujat/common/error.h"

namespace qujat::web {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string attributes(bool tls) { return std::string("; Path=/; SameSite=Strict") + (tls ? "; Secure" : ""); }

bool is_hex_token(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

std::map<std::string, std::string> parse_cookies(std::string_view header) {
  std::map<std::string, std::string> out;
  while (!header.empty()) {
    const auto end = header.find(';');
    auto pair = trim(header.substr(0, end));
    header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    auto value = trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    out.emplace(std::string(trim(pair.substr(0, eq))), std::string(value));
  }
  return out;
}

std::optional<std::string> request_cookie(const http::Request& request, std::string_view name) {
  for (const auto header : request.headers.all("Cookie")) {
    const auto cookies = parse_cookies(header);
    if (const auto it = cookies.find(std::string(name)); it != cookies.end()) return it->second;
  }
  return std::nullopt;
}

std::string session_cookie(const std::string& token, bool tls, long max_age_seconds) {
  return std::string(kSessionCookie) + "=" + token + "; Max-Age=" + std::to_string(max_age_seconds) + "; HttpOnly" +
         attributes(tls);
}

std::string expired_session_cookie(bool tls) {
  return std::string(kSessionCookie) + "=; Max-Age=0; HttpOnly" + attributes(tls);
}

std::string csrf_cookie(const std::string& token, bool tls) {
  return std::string(kCsrfCookie) + "=" + token + "; HttpOnly" + attributes(tls);
}

std::string language_cookie(i18n::Language language, bool tls) {
  return std::string(kLanguageCookie) + "=" + (language == i18n::Language::kk ? "kk" : "ru") + "; Max-Age=31536000" +
         attributes(tls);
}

std::string new_csrf_token() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw Error("web.random", "no random bytes for a CSRF token");
  return hex_encode(ByteView(bytes, sizeof bytes));
}

std::optional<std::string> csrf_token_of(const http::Request& request) {
  auto token = request_cookie(request, kCsrfCookie);
  if (!token || !is_hex_token(*token)) return std::nullopt;
  return token;
}

bool csrf_matches(const http::Request& request, std::string_view presented) {
  const auto expected = csrf_token_of(request);
  if (!expected || presented.size() != expected->size()) return false;
  return CRYPTO_memcmp(expected->data(), presented.data(), presented.size()) == 0;
}

i18n::Language page_language(const http::Request& request) {
  if (const auto chosen = request_cookie(request, kLanguageCookie)) {
    if (*chosen == "kk") return i18n::Language::kk;
    if (*chosen == "ru") return i18n::Language::ru;
  }
  if (const auto accept = request.header("Accept-Language")) {
    const auto kk = accept->find("kk");
    const auto ru = accept->find("ru");
    if (kk != std::string_view::npos && (ru == std::string_view::npos || kk < ru)) return i18n::Language::kk;
  }
  return i18n::Language::ru;
}

std::string local_path_or_root(std::string_view next) {
  if (next.empty() || next.front() != '/' || next.size() > 2048) return "/";
  if (next.size() > 1 && (next[1] == '/' || next[1] == '\\')) return "/";
  for (char c : next)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "/";
  return std::string(next);
}

}  // namespace qujat::web
