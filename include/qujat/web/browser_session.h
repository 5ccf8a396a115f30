// What a browser carries between the pages: the session cookie holding the
// service's login token, the chosen language, and the CSRF token that every
// state-changing form and script call must echo (double submit: the cookie
// and the form field or X-CSRF-Token header must be the same random value; a
// page on another site can neither read the cookie nor, with
// SameSite=Strict, make the browser send it). docs/web.md, "Cookies".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "qujat/http/request.h"
#include "qujat/i18n/messages.h"

namespace qujat::web {

inline constexpr const char* kSessionCookie = "qujat_session";
inline constexpr const char* kCsrfCookie = "qujat_csrf";
inline constexpr const char* kLanguageCookie = "qujat_lang";
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";
inline constexpr const char* kCsrfField = "csrf";

// The Cookie header's name=value pairs (RFC 6265 5.4); the first of a name wins.
std::map<std::string, std::string> parse_cookies(std::string_view header);
std::optional<std::string> request_cookie(const http::Request& request, std::string_view name);

// Set-Cookie values. Every cookie is Path=/ and SameSite=Strict; Secure when
// the service speaks TLS. The session and CSRF cookies are HttpOnly (the
// page gets the CSRF token in its forms, never from the cookie).
std::string session_cookie(const std::string& token, bool tls, long max_age_seconds);
std::string expired_session_cookie(bool tls);
std::string csrf_cookie(const std::string& token, bool tls);
std::string language_cookie(i18n::Language language, bool tls);

// 32 random bytes, hex: a new CSRF token.
std::string new_csrf_token();

// The request's CSRF token from its cookie, when it has a well-formed one.
std::optional<std::string> csrf_token_of(const http::Request& request);
// True when `presented` (form field or header) equals the cookie's token,
// compared in constant time.
bool csrf_matches(const http::Request& request, std::string_view presented);

// The page's language: the language cookie, else Accept-Language naming
// Kazakh before Russian, else Russian. Pages are in kk and ru only.
i18n::Language page_language(const http::Request& request);

// A same-site path to return to after a switch of language: "/..." but not
// "//host" or "/\host"; anything else gives "/".
std::string local_path_or_root(std::string_view next);

}  // namespace qujat::web
