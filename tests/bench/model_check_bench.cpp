// How long `qujat check` spends on the model: parse + check of a typical
// licence application and of an EUC with 40 goods rows.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "qujat/model/application.h"
#include "qujat/model/check.h"
#include "support/paths.h"

namespace {
std::string sample_text(const char* name) {
  std::ifstream in(qujat::test::source_root().string() + "/samples/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void BM_ModelParseAndCheck(benchmark::State& state, const char* name) {
  const auto text = sample_text(name);
  (void)qujat::model::check_messages();  // loaded once per process, as in the CLI
  for (auto _ : state) {
    auto doc = qujat::model::read_application_json(text);
    auto report = qujat::model::check_application(doc);
    if (!report.ok()) state.SkipWithError("sample has problems");
    benchmark::DoNotOptimize(report);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void BM_ModelCheckInvalid(benchmark::State& state) {
  const auto doc = qujat::model::read_application_json(sample_text("invalid/export-licence-bad-bin-checksum.json"));
  for (auto _ : state) benchmark::DoNotOptimize(qujat::model::check_application(doc));
}
}  // namespace

BENCHMARK_CAPTURE(BM_ModelParseAndCheck, export_licence, "export-licence.json");
BENCHMARK_CAPTURE(BM_ModelParseAndCheck, euc_forty_goods, "euc-forty-goods.json");
BENCHMARK(BM_ModelCheckInvalid);
