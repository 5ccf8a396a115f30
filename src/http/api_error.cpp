#include "qujat/http/api_error.h"

namespace qujat::http {

ApiError::ApiError(int status, std::string code, i18n::Message wording, nlohmann::json problems, nlohmann::json details)
    : Error(std::move(code), wording.en),
      status_(status),
      wording_(std::move(wording)),
      problems_(std::move(problems)),
      details_(std::move(details)) {}

ApiError ApiError::from(const i18n::MessageCatalogue& catalogue, int status, std::string code,
                        const std::map<std::string, std::string>& params) {
  i18n::Message wording = catalogue.render(code, params);
  return ApiError(status, std::move(code), std::move(wording));
}

ApiError& ApiError::with_problems(nlohmann::json problems) {
  problems_ = std::move(problems);
  return *this;
}

ApiError& ApiError::with_detail(const std::string& key, nlohmann::json value) {
  details_[key] = std::move(value);
  return *this;
}

nlohmann::json ApiError::body() const {
  nlohmann::json error = details_.is_object() ? details_ : nlohmann::json::object();
  error["code"] = code();
  error["message"] = wording_.to_json();
  error["problems"] = problems_.is_array() ? problems_ : nlohmann::json::array();
  return {{"error", std::move(error)}};
}

const i18n::MessageCatalogue& http_messages() { return i18n::MessageCatalogue::standard("http"); }

}  // namespace qujat::http
