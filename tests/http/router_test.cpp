// The route table: named segments, literal text around a parameter, the most
// literal pattern winning, 404 / 405 with the path's methods, HEAD served by
// GET, percent-decoding per segment, and the listing the service's tests use.
#include "qujat/http/router.h"

#include <gtest/gtest.h>

#include "qujat/common/error.h"

namespace {

using namespace qujat::http;

Handler named(std::string name) {
  return [name](Request&) { return Response::text(200, name); };
}

std::string served_by(const Router& router, std::string_view method, std::string_view path) {
  const auto found = router.find(method, path);
  if (found.outcome != Router::Outcome::found) return "-";
  Request request;
  return (*found.handler)(request).body;
}

Router sample() {
  Router r;
  r.add("GET", "/api/v1/applications", named("list"));
  r.add("POST", "/api/v1/applications", named("submit"));
  r.add("GET", "/api/v1/applications/{id}", named("status"));
  r.add("GET", "/api/v1/applications/mine", named("mine"));
  r.add("POST", "/api/v1/applications/{id}/actions", named("action"));
  r.add("GET", "/api/v1/documents/{number}.xml", named("xml"));
  r.add("GET", "/api/v1/documents/{number}.pdf", named("pdf"));
  r.add("GET", "/verify/{number}", named("verify"));
  return r;
}

TEST(Router, MatchesLiteralAndNamedSegments) {
  const Router r = sample();
  EXPECT_EQ(served_by(r, "GET", "/api/v1/applications"), "list");
  EXPECT_EQ(served_by(r, "POST", "/api/v1/applications"), "submit");
  EXPECT_EQ(served_by(r, "GET", "/api/v1/applications/A-2026-1"), "status");
  EXPECT_EQ(served_by(r, "POST", "/api/v1/applications/A-2026-1/actions"), "action");
  const auto found = r.find("POST", "/api/v1/applications/A-2026-1/actions");
  EXPECT_EQ(found.pattern, "/api/v1/applications/{id}/actions");
  ASSERT_EQ(found.params.size(), 1u);
  EXPECT_EQ(found.params[0], (std::pair<std::string, std::string>{"id", "A-2026-1"}));
}

TEST(Router, ParameterWithLiteralSuffix) {
  const Router r = sample();
  auto found = r.find("GET", "/api/v1/documents/KZ-EL-2026-000017.xml");
  ASSERT_EQ(found.outcome, Router::Outcome::found);
  EXPECT_EQ(found.pattern, "/api/v1/documents/{number}.xml");
  EXPECT_EQ(found.params[0].second, "KZ-EL-2026-000017");
  EXPECT_EQ(served_by(r, "GET", "/api/v1/documents/KZ-1.pdf"), "pdf");
  // The suffix alone is not a number.
  EXPECT_EQ(r.find("GET", "/api/v1/documents/.xml").outcome, Router::Outcome::not_found);
  EXPECT_EQ(r.find("GET", "/api/v1/documents/KZ-1.txt").outcome, Router::Outcome::not_found);
}

TEST(Router, MostLiteralPatternWins) {
  const Router r = sample();
  EXPECT_EQ(served_by(r, "GET", "/api/v1/applications/mine"), "mine");
  EXPECT_EQ(served_by(r, "GET", "/api/v1/applications/minez"), "status");
}

TEST(Router, UnknownPathIsNotFound) {
  const Router r = sample();
  EXPECT_EQ(r.find("GET", "/").outcome, Router::Outcome::not_found);
  EXPECT_EQ(r.find("GET", "/api/v1/applications/").outcome, Router::Outcome::not_found);
  EXPECT_EQ(r.find("GET", "/api/v1/applications/x/y").outcome, Router::Outcome::not_found);
  EXPECT_EQ(r.find("GET", "/API/v1/applications").outcome, Router::Outcome::not_found);
}

TEST(Router, WrongMethodListsTheAllowedOnes) {
  const Router r = sample();
  const auto found = r.find("DELETE", "/api/v1/applications");
  EXPECT_EQ(found.outcome, Router::Outcome::method_not_allowed);
  EXPECT_EQ(found.allow, (std::vector<std::string>{"GET", "HEAD", "POST"}));
  const auto actions = r.find("GET", "/api/v1/applications/7/actions");
  EXPECT_EQ(actions.outcome, Router::Outcome::method_not_allowed);
  EXPECT_EQ(actions.allow, (std::vector<std::string>{"POST"}));
}

TEST(Router, HeadIsServedByGet) {
  const Router r = sample();
  EXPECT_EQ(served_by(r, "HEAD", "/api/v1/applications/5"), "status");
  EXPECT_EQ(r.find("HEAD", "/api/v1/applications/5/actions").outcome, Router::Outcome::method_not_allowed);
}

TEST(Router, SegmentsArePercentDecodedAfterSplitting) {
  const Router r = sample();
  auto found = r.find("GET", "/verify/KZ%2D1%2F2");
  ASSERT_EQ(found.outcome, Router::Outcome::found);
  EXPECT_EQ(found.params[0].second, "KZ-1/2");  // an encoded '/' stays in its segment
  found = r.find("GET", "/api/v1/%61pplications");
  EXPECT_EQ(found.outcome, Router::Outcome::found);
  EXPECT_EQ(found.pattern, "/api/v1/applications");
  EXPECT_EQ(r.find("GET", "/verify/KZ%zz").outcome, Router::Outcome::bad_path);
  EXPECT_EQ(r.find("GET", "/verify/KZ%00").outcome, Router::Outcome::bad_path);
  EXPECT_EQ(r.find("GET", "/verify/KZ%4").outcome, Router::Outcome::bad_path);
  EXPECT_EQ(r.find("GET", "verify/KZ").outcome, Router::Outcome::bad_path);
}

TEST(Router, ListsEveryRouteInRegistrationOrder) {
  const auto routes = sample().routes();
  ASSERT_EQ(routes.size(), 8u);
  EXPECT_EQ(routes[0].method, "GET");
  EXPECT_EQ(routes[0].pattern, "/api/v1/applications");
  EXPECT_EQ(routes[5].pattern, "/api/v1/documents/{number}.xml");
}

TEST(Router, RefusesBadPatterns) {
  Router r;
  const auto code_of = [&](std::string_view method, std::string_view pattern) {
    try {
      r.add(method, pattern, named("x"));
    } catch (const qujat::Error& e) {
      return e.code();
    }
    return std::string("accepted");
  };
  EXPECT_EQ(code_of("GET", "api/v1"), "http.bad_route");
  EXPECT_EQ(code_of("GET", "/a/{id"), "http.bad_route");
  EXPECT_EQ(code_of("GET", "/a/id}"), "http.bad_route");
  EXPECT_EQ(code_of("GET", "/a/{x}{y}"), "http.bad_route");
  EXPECT_EQ(code_of("GET", "/a/{}"), "http.bad_route");
  EXPECT_EQ(code_of("GET", "/a/{bad-name}"), "http.bad_route");
  EXPECT_EQ(code_of("GET", "/a/{id}/b/{id}"), "http.bad_route");
  EXPECT_EQ(code_of("get", "/a"), "http.bad_route");
  EXPECT_EQ(code_of("GET", "/a/{id}"), "accepted");
  EXPECT_EQ(code_of("GET", "/a/{other}"), "http.route_conflict");
  EXPECT_EQ(code_of("POST", "/a/{other}"), "accepted");
}

}  // namespace
