// Login with the EDS, no passwords (API.md "Authentication with the EDS"):
// the service hands out a single-use nonce, the user signs it with an NCA
// key (CMS as NCALayer makes it, or an XMLDSig-signed <login><nonce>), and
// gets a short-lived token: HMAC-SHA256 over the subject (IIN, BIN, name,
// roles) and the expiry, under the configured secret. Nonces live in the
// store (login_challenges), so several `qujat serve` nodes on one
// PostgreSQL agree that a nonce was used. The web pages (issue 13) reuse
// this class: a token comes from `Authorization: Bearer` or from the
// session cookie.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "qujat/common/bytes.h"
#include "qujat/common/clock.h"
#include "qujat/common/time.h"
#include "qujat/dsig/report.h"
#include "qujat/dsig/verify_options.h"
#include "qujat/http/request.h"
#include "qujat/i18n/messages.h"
#include "qujat/store/database.h"
#include "qujat/workflow/actor.h"

namespace qujat::api {

// The session cookie the web pages set; its value is a token.
inline constexpr const char* kSessionCookie = "qujat_session";

struct LoginSettings {
  std::string token_secret;  // at least 32 bytes; never logged
  std::chrono::seconds token_ttl{1800};
  std::chrono::seconds challenge_ttl{300};
  // IIN -> the office's roles ("officer", "head"); everyone else is "applicant".
  std::map<std::string, std::set<std::string>> officers;
  // Trust and revocation for the login signature (the office's [trust]).
  dsig::VerifyOptions trust;
};

struct Challenge {
  std::string nonce;  // 64 hex digits
  Instant expires_at;
};

struct IssuedToken {
  std::string token;
  Instant expires_at;
  workflow::Actor subject;
};

class EdsLogin {
 public:
  // Throws qujat::Error("auth.secret") when the secret is shorter than 32 bytes.
  EdsLogin(store::Database& db, const Clock& clock, LoginSettings settings);

  // A fresh nonce, recorded in the store (expired ones are swept on the way).
  Challenge challenge() const;

  // The signed nonce -> a token. Throws http::ApiError 401 with a code
  // "auth.*" when the signature, its certificate or the nonce is not
  // acceptable (a nonce is spent by the first signature that is).
  IssuedToken login_with_cms(ByteView cms) const;
  IssuedToken login_with_xml(std::string_view xml) const;

  // The subject of a token that is well-formed, signed with our secret and
  // not expired; nullopt otherwise (forged, expired, garbage).
  std::optional<workflow::Actor> subject_of(std::string_view token) const;

  // The token a request carries: `Authorization: Bearer`, else the session
  // cookie; nullopt when there is none.
  static std::optional<std::string> token_of(const http::Request& request);

  // The caller, or http::ApiError 401 ("auth.token_missing" / "auth.token_invalid").
  workflow::Actor authenticate(const http::Request& request) const;

  // A token for `subject` (tests, and the login itself).
  IssuedToken issue(const workflow::Actor& subject) const;

 private:
  IssuedToken finish(const dsig::VerificationReport& report, std::string_view signed_nonce) const;
  void spend(std::string_view nonce) const;
  std::string mac(std::string_view payload) const;

  store::Database& db_;
  const Clock& clock_;
  LoginSettings settings_;

  // Tokens whose MAC and claims were already checked: a client sends the
  // same token with every request, and the HMAC and JSON of each cost more
  // than a status read's queries. Expiry is still checked every time.
  struct TokenHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view t) const noexcept { return std::hash<std::string_view>{}(t); }
  };
  struct ProvenToken {
    workflow::Actor subject;
    std::int64_t expires = 0;  // seconds since the epoch
  };
  mutable std::mutex proven_mutex_;
  mutable std::unordered_map<std::string, ProvenToken, TokenHash, std::equal_to<>> proven_;
};

// The catalogue of the service's own wording: templates/messages/api.json.
const i18n::MessageCatalogue& api_messages();

}  // namespace qujat::api
