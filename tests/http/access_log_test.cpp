// The access-log line: JSON with the route pattern, status, duration and
// sizes; 12-digit runs (IINs, BINs) masked wherever they appear.
#include "qujat/http/access_log.h"

#include <gtest/gtest.h>

namespace {

using namespace qujat::http;

TEST(AccessLog, OneJsonLinePerRecord) {
  std::vector<std::string> lines;
  AccessLog log([&](std::string_view line) { lines.emplace_back(line); });
  const nlohmann::json fields = {{"subject", "780111300039"}, {"status", "overridden?"}};
  AccessRecord r;
  r.time =
      std::chrono::sys_days{std::chrono::year{2026} / 3 / 20} + std::chrono::hours(5) + std::chrono::milliseconds(123);
  r.request_id = "req-1";
  r.method = "GET";
  r.route = "/api/v1/applications/{id}";
  r.status = 200;
  r.duration = std::chrono::microseconds(1500);
  r.bytes_in = 0;
  r.bytes_out = 512;
  r.fields = &fields;
  log.write(r);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].find('\n'), std::string::npos);
  const auto j = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(j["time"], "2026-03-20T05:00:00.123Z");
  EXPECT_EQ(j["event"], "http.request");
  EXPECT_EQ(j["request_id"], "req-1");
  EXPECT_EQ(j["route"], "/api/v1/applications/{id}");
  EXPECT_EQ(j["status"], 200);  // a handler's field does not replace the server's
  EXPECT_DOUBLE_EQ(j["duration_ms"].get<double>(), 1.5);
  EXPECT_EQ(j["bytes_out"], 512);
  EXPECT_EQ(j["subject"], "7801******39");
  EXPECT_FALSE(j.contains("error"));
}

TEST(AccessLog, MasksIdentifiersAnywhereInTheLine) {
  AccessRecord r;
  r.request_id = "client-780111300039";
  r.status = 404;
  r.error_code = "http.not_found";
  const auto line = AccessLog::format(r);
  EXPECT_EQ(line.find("780111300039"), std::string::npos) << line;
  EXPECT_NE(line.find("client-7801******39"), std::string::npos) << line;
  const auto j = nlohmann::json::parse(line);
  EXPECT_TRUE(j["route"].is_null());
  EXPECT_TRUE(j["method"].is_null());
  EXPECT_EQ(j["error"], "http.not_found");
}

}  // namespace
