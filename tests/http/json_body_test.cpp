// Reading a JSON request body: content type, depth limit before parsing,
// and the contract-shaped 400/415 errors with kk/ru/en wording.
#include "qujat/http/json_body.h"

#include <gtest/gtest.h>

#include "qujat/http/api_error.h"

namespace {

using namespace qujat::http;

Request json_request(std::string body, std::string content_type = "application/json") {
  Request r;
  r.headers.add("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

ApiError error_of(const Request& r, std::size_t depth = kDefaultJsonDepth) {
  try {
    parse_json_body(r, depth);
  } catch (const ApiError& e) {
    return e;
  }
  throw std::runtime_error("no error");
}

TEST(JsonBody, ContentTypeMustBeJson) {
  EXPECT_TRUE(is_json_content_type("application/json"));
  EXPECT_TRUE(is_json_content_type("Application/JSON; charset=UTF-8"));
  EXPECT_TRUE(is_json_content_type("application/json;charset=\"utf-8\""));
  EXPECT_FALSE(is_json_content_type("application/json; charset=latin1"));
  EXPECT_FALSE(is_json_content_type("text/plain"));
  EXPECT_FALSE(is_json_content_type("application/jsonx"));
  EXPECT_FALSE(is_json_content_type("application/json; boundary=x"));

  const auto e = error_of(json_request("{}", "text/plain"));
  EXPECT_EQ(e.status(), 415);
  EXPECT_EQ(e.code(), "http.unsupported_media_type");
  EXPECT_EQ(error_of(Request{}).status(), 415);
}

TEST(JsonBody, ParsesAValidBody) {
  const auto j = parse_json_body(json_request(R"({"action": "accept", "grounds": [1, 2]})"));
  EXPECT_EQ(j["action"], "accept");
}

TEST(JsonBody, MalformedJsonIs400WithWording) {
  const auto e = error_of(json_request(R"({"action": )"));
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.code(), "http.malformed_json");
  const auto body = e.body();
  EXPECT_EQ(body["error"]["code"], "http.malformed_json");
  for (const char* lang : {"kk", "ru", "en"}) {
    EXPECT_FALSE(body["error"]["message"][lang].get<std::string>().empty()) << lang;
    EXPECT_EQ(body["error"]["message"][lang].get<std::string>().find("{offset}"), std::string::npos) << lang;
  }
  EXPECT_TRUE(body["error"]["problems"].is_array());
  EXPECT_EQ(error_of(json_request("{\"a\": \"\xff\"}")).code(), "http.malformed_json");  // not UTF-8
}

// Found by fuzzing (tests/fuzz/regressions/service_request): nlohmann throws
// out_of_range, not parse_error, for a number beyond any double.
TEST(JsonBody, ANumberBeyondAnyDoubleIs400NotAnEscapingException) {
  const auto e = error_of(json_request(R"({"amount": 1e999})"));
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.code(), "http.malformed_json");
  EXPECT_NE(e.wording().en.find("byte 16"), std::string::npos) << e.wording().en;
  EXPECT_EQ(error_of(json_request("[-1e400]")).code(), "http.malformed_json");
}

TEST(JsonBody, DepthIsLimitedBeforeParsing) {
  EXPECT_TRUE(json_depth_within("1", 0));
  EXPECT_TRUE(json_depth_within("[]", 1));
  EXPECT_FALSE(json_depth_within("[[]]", 1));
  EXPECT_TRUE(json_depth_within(R"({"a": "[[[[[[", "b": [1]})", 2));  // brackets in strings do not count
  EXPECT_TRUE(json_depth_within(R"(["\"[[[["])", 1));
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const auto e = error_of(json_request(deep));
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.code(), "http.json_too_deep");
  EXPECT_NE(e.wording().en.find("32"), std::string::npos);
  EXPECT_NO_THROW(parse_json_body(json_request(std::string(32, '[') + std::string(32, ']'))));
  EXPECT_EQ(error_of(json_request(std::string(33, '[') + std::string(33, ']'))).code(), "http.json_too_deep");
}

TEST(ApiErrorShape, CarriesProblemsAndDetails) {
  ApiError e = ApiError::from(http_messages(), 409, "http.not_found");
  e.with_problems(nlohmann::json::array({{{"field", "goods[0].hs_code"}}})).with_detail("allowed", {"accept"});
  const auto body = e.body();
  EXPECT_EQ(body["error"]["allowed"], nlohmann::json::array({"accept"}));
  EXPECT_EQ(body["error"]["problems"][0]["field"], "goods[0].hs_code");
  EXPECT_EQ(body["error"]["message"]["ru"], "По запрошенному адресу ничего не найдено");
  EXPECT_EQ(std::string(e.what()), "nothing is found at the requested address");
}

TEST(HttpCatalogue, EveryCodeTheLayerUsesHasWording) {
  const auto& messages = http_messages();
  for (const char* code : {"http.not_found", "http.method_not_allowed", "http.body_too_large", "http.header_too_large",
                           "http.header_timeout", "http.body_timeout", "http.malformed_request", "http.bad_target",
                           "http.bad_path", "http.bad_query", "http.unsupported_media_type", "http.malformed_json",
                           "http.json_too_deep", "http.overloaded", "http.internal"})
    EXPECT_TRUE(messages.has(code)) << code;
}

}  // namespace
