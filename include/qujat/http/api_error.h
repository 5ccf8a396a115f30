// An error a client reads, in the contract's shape (docs/API.md,
// "Conventions"): an HTTP status and
//   {"error": {"code": "dotted.code", "message": {"kk", "ru", "en"}, "problems": [...], ...details}}.
// A handler throws it (or returns Response::error(it)); the server answers
// with it. The wording comes from a message catalogue, never from C++.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "qujat/common/error.h"
#include "qujat/i18n/messages.h"

namespace qujat::http {

class ApiError : public Error {
 public:
  // `problems`: a JSON array as `qujat check --json` gives it (fields at
  // fault); `details`: more members of "error" (e.g. {"allowed": [...]}).
  ApiError(int status, std::string code, i18n::Message wording, nlohmann::json problems = nlohmann::json::array(),
           nlohmann::json details = nlohmann::json::object());

  // The wording of `code` in `catalogue`, placeholders filled from `params`.
  static ApiError from(const i18n::MessageCatalogue& catalogue, int status, std::string code,
                       const std::map<std::string, std::string>& params = {});

  int status() const noexcept { return status_; }
  const i18n::Message& wording() const noexcept { return wording_; }
  const nlohmann::json& problems() const noexcept { return problems_; }
  const nlohmann::json& details() const noexcept { return details_; }

  ApiError& with_problems(nlohmann::json problems);
  ApiError& with_detail(const std::string& key, nlohmann::json value);

  // {"error": {...}} as sent.
  nlohmann::json body() const;

 private:
  int status_;
  i18n::Message wording_;
  nlohmann::json problems_;
  nlohmann::json details_;
};

// The HTTP layer's own wording: templates/messages/http.json.
const i18n::MessageCatalogue& http_messages();

}  // namespace qujat::http
