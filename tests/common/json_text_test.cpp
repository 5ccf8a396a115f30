// The direct JSON writer of the hot answers (common/json_text.h): what it
// writes must read back as the same value, and its strings must be escaped
// exactly as nlohmann::json dumps them.
#include "qujat/common/json_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

using qujat::JsonWriter;

namespace {

std::string escaped(std::string_view text) {
  std::string out;
  qujat::append_json_string(out, text);
  return out;
}

TEST(JsonText, StringsAreEscapedAsNlohmannDumpsThem) {
  std::string every_control_character;
  for (char c = 1; c < 0x20; ++c) every_control_character += c;
  every_control_character += '\0';
  for (const std::string& text : {std::string("plain"), std::string("quote \" and backslash \\"),
                                 std::string("Қазақстан / Казахстан €"), every_control_character,
                                 std::string("</script><!--"), std::string()}) {
    EXPECT_EQ(escaped(text), nlohmann::json(text).dump()) << text;
    EXPECT_EQ(nlohmann::json::parse(escaped(text)).get<std::string>(), text);
  }
}

TEST(JsonText, NestedObjectsAndArraysReadBackAsWritten) {
  JsonWriter w;
  w.begin_object();
  w.key("id").value("A-1");
  w.key("count").value(std::int64_t{-42});
  w.key("none").null();
  w.key("empty").begin_array().end_array();
  w.key("nothing").begin_object().end_object();
  w.key("items").begin_array();
  w.begin_object().key("n").value(std::int64_t{1}).key("tags").begin_array().value("a").value("b").end_array().end_object();
  w.begin_object().key("n").value(std::int64_t{2}).end_object();
  w.value("last");
  w.end_array();
  w.key("raw").raw(R"({"b":[1,2],"a":null})");
  w.end_object();
  const std::string text = std::move(w).text();
  const auto expected = nlohmann::json::parse(R"({
    "id": "A-1", "count": -42, "none": null, "empty": [], "nothing": {},
    "items": [{"n": 1, "tags": ["a", "b"]}, {"n": 2}, "last"],
    "raw": {"a": null, "b": [1, 2]}})");
  EXPECT_EQ(nlohmann::json::parse(text), expected) << text;
  // Members in the order written, one comma between each.
  EXPECT_EQ(text.substr(0, 34), R"({"id":"A-1","count":-42,"none":nul)");
}

TEST(JsonText, TopLevelArray) {
  JsonWriter w;
  w.begin_array().value("x").value(std::int64_t{0}).null().end_array();
  EXPECT_EQ(std::move(w).text(), R"(["x",0,null])");
}

}  // namespace
