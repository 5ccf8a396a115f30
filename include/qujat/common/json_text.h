// JSON written straight into a string, for the few answers that are written
// so often that building a nlohmann tree first and dumping it costs more
// than the rest of the request: the access log's line per request and the
// applicant's status read. Everything else builds nlohmann::json.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace qujat {

// `text` as a JSON string, quotes included, escaped as nlohmann::json dumps
// it (the short escapes, \u00XX for other control characters, UTF-8 as is).
void append_json_string(std::string& out, std::string_view text);

// Objects and arrays in the order they are written; the caller writes a
// key before each value inside an object. Commas are the writer's business.
//   JsonWriter w;
//   w.begin_object().key("id").value(id).key("history").begin_array();
//   ... w.end_array().end_object();
//   std::string body = std::move(w).text();
class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(std::int64_t number);
  JsonWriter& null();
  // An already serialised JSON value (a nlohmann dump), as it is.
  JsonWriter& raw(std::string_view json);

  std::string text() && { return std::move(out_); }

 private:
  void before_value();
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);

  std::string out_;
  // Per open object or array: whether it has a member yet.
  std::vector<bool> has_member_;
  bool after_key_ = false;
};

}  // namespace qujat
