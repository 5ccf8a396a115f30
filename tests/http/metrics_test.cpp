// The metrics registry and its Prometheus text: every sample line parses as
// name{labels} value, histograms are cumulative with +Inf, _sum and _count,
// label values are escaped, and a name cannot be registered twice differently.
#include "qujat/http/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <sstream>

#include "qujat/common/error.h"

namespace {

using namespace qujat::http;

// The sample-line grammar of the text format (0.0.4), without timestamps.
const std::regex kSample(
    R"re(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*")(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*")*\})? ([-+]?[0-9.eE+-]+|NaN|[+-]Inf)$)re");

// Asserts every line of `text` is a comment (# HELP / # TYPE) or a sample.
void expect_parses(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) continue;
    EXPECT_TRUE(std::regex_match(line, kSample)) << "not a sample line: " << line;
  }
}

TEST(Metrics, CountersAndGaugesRenderWithLabels) {
  MetricsRegistry registry;
  auto& issued = registry.counter("qujat_documents_issued_total", "Documents issued", {"kind"});
  issued.with({"export-licence"}).add();
  issued.with({"export-licence"}).add(2);
  issued.with({"refusal"}).add();
  registry.gauge("qujat_outbox_depth", "Messages waiting").with({}).set(7);
  registry.gauge_callback("qujat_store_up", "Store reachable", [] { return 1.0; });
  const auto text = registry.render();
  expect_parses(text);
  EXPECT_NE(text.find("# TYPE qujat_documents_issued_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("qujat_documents_issued_total{kind=\"export-licence\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("qujat_documents_issued_total{kind=\"refusal\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("qujat_outbox_depth 7\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE qujat_store_up gauge\nqujat_store_up 1\n"), std::string::npos);
}

TEST(Metrics, HistogramIsCumulativeWithSumAndCount) {
  MetricsRegistry registry;
  auto& h = registry.histogram("qujat_latency_seconds", "Latency", {"route"}, {0.01, 0.1, 1});
  auto& series = h.with({"/x"});
  for (double v : {0.005, 0.05, 0.05, 0.5, 5.0}) series.observe(v);
  const auto text = registry.render();
  expect_parses(text);
  EXPECT_NE(text.find("qujat_latency_seconds_bucket{route=\"/x\",le=\"0.01\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("qujat_latency_seconds_bucket{route=\"/x\",le=\"0.1\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("qujat_latency_seconds_bucket{route=\"/x\",le=\"1\"} 4\n"), std::string::npos);
  EXPECT_NE(text.find("qujat_latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 5\n"), std::string::npos);
  EXPECT_NE(text.find("qujat_latency_seconds_count{route=\"/x\"} 5\n"), std::string::npos);
  EXPECT_NEAR(series.sum(), 5.605, 1e-9);
}

TEST(Metrics, LabelValuesAreEscaped) {
  MetricsRegistry registry;
  registry.counter("c_total", "help with \\ and\nnewline", {"v"}).with({"a\"b\\c\nd"}).add();
  const auto text = registry.render();
  expect_parses(text);
  EXPECT_NE(text.find(R"(c_total{v="a\"b\\c\nd"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find("# HELP c_total help with \\\\ and\\nnewline\n"), std::string::npos);
}

TEST(Metrics, SameNameSameShapeIsTheSameFamily) {
  MetricsRegistry registry;
  auto& a = registry.counter("x_total", "x", {"k"});
  auto& b = registry.counter("x_total", "x", {"k"});
  EXPECT_EQ(&a, &b);
  const auto code_of = [](auto&& register_it) {
    try {
      register_it();
    } catch (const qujat::Error& e) {
      return e.code();
    }
    return std::string("accepted");
  };
  EXPECT_EQ(code_of([&] { registry.counter("x_total", "x", {"other"}); }), "metrics.conflict");
  EXPECT_EQ(code_of([&] { registry.gauge("x_total", "x", {"k"}); }), "metrics.conflict");
  EXPECT_EQ(code_of([&] { registry.counter("bad-name", "x"); }), "metrics.bad_name");
  EXPECT_EQ(code_of([&] { registry.counter("ok_total", "x", {"le"}); }), "metrics.bad_name");
  EXPECT_EQ(code_of([&] { registry.histogram("h", "x", {}, {1, 0.5}); }), "metrics.bad_buckets");
  EXPECT_EQ(code_of([&] { a.with({"1", "2"}); }), "metrics.labels");
}

TEST(Metrics, AFailingCallbackRendersNaN) {
  MetricsRegistry registry;
  registry.gauge_callback("qujat_outbox_depth", "depth", []() -> double { throw std::runtime_error("store down"); });
  const auto text = registry.render();
  expect_parses(text);
  EXPECT_NE(text.find("qujat_outbox_depth NaN\n"), std::string::npos);
}

}  // namespace
