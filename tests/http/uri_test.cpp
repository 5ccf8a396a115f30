// Percent-decoding, query strings and request targets as a handler gets them.
#include "qujat/http/uri.h"

#include <gtest/gtest.h>

#include "qujat/common/error.h"
#include "qujat/http/request.h"

namespace {

using namespace qujat::http;

TEST(PercentEncode, KeepsOnlyUnreservedBytesAndWhatTheCallerNames) {
  EXPECT_EQ(percent_encode("ОИ 1/2?a=b"), "%D0%9E%D0%98%201%2F2%3Fa%3Db");
  EXPECT_EQ(percent_encode("/desk/applications/x y", "/"), "/desk/applications/x%20y");
  EXPECT_EQ(percent_encode("A-z_0.9~"), "A-z_0.9~");
  EXPECT_EQ(*percent_decode(percent_encode("қ%+&")), "қ%+&");
}

TEST(PercentDecode, DecodesEscapesAndRefusesBrokenOnes) {
  EXPECT_EQ(percent_decode("%D2%9A%D0%B0%D0%B7"), "Қаз");
  EXPECT_EQ(percent_decode("a+b"), "a+b");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("%2f%2F"), "//");
  EXPECT_FALSE(percent_decode("%"));
  EXPECT_FALSE(percent_decode("%4"));
  EXPECT_FALSE(percent_decode("%g0"));
  EXPECT_FALSE(percent_decode("a%00b"));
}

TEST(Query, ParsesNamesAndValues) {
  const auto items = parse_query("state=under_review&code=AB%2BCD&empty=&flag&&x=a+b");
  ASSERT_TRUE(items);
  EXPECT_EQ(*items,
            (QueryItems{{"state", "under_review"}, {"code", "AB+CD"}, {"empty", ""}, {"flag", ""}, {"x", "a b"}}));
  EXPECT_FALSE(parse_query("a=%zz"));
  EXPECT_TRUE(parse_query("")->empty());

  Request request;
  request.query_items = *items;
  EXPECT_EQ(request.query("code"), "AB+CD");
  EXPECT_FALSE(request.query("missing"));
}

TEST(Target, SplitsOriginAndAbsoluteForms) {
  auto parts = split_target("/verify/KZ-1?code=7#frag");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->path, "/verify/KZ-1");
  EXPECT_EQ(parts->query, "code=7");
  parts = split_target("http://licence.example.kz/healthz?x=1");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->path, "/healthz");
  EXPECT_EQ(parts->query, "x=1");
  parts = split_target("https://licence.example.kz");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->path, "/");
  EXPECT_FALSE(split_target("*"));
  EXPECT_FALSE(split_target("healthz"));
  EXPECT_FALSE(split_target(""));
}

TEST(Request, RouteParametersByName) {
  Request request;
  request.route = "/a/{id}";
  request.params = {{"id", "42"}};
  EXPECT_EQ(request.param("id"), "42");
  EXPECT_THROW(request.param("number"), qujat::Error);
}

TEST(Headers, NamesAreCaseInsensitive) {
  Headers h;
  h.add("Content-Type", "application/json");
  h.add("X-Thing", "1");
  h.add("x-thing", "2");
  EXPECT_EQ(h.get("content-type"), "application/json");
  EXPECT_EQ(h.all("X-THING"), (std::vector<std::string_view>{"1", "2"}));
  h.set("X-Thing", "3");
  EXPECT_EQ(h.all("x-thing"), (std::vector<std::string_view>{"3"}));
  h.remove("CONTENT-TYPE");
  EXPECT_FALSE(h.contains("Content-Type"));
}

}  // namespace
