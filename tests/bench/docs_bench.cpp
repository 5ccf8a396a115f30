// Documents engine throughput on one core (rates are per CPU second): licence
// XML rendered + XSD-validated (+ GOST 2015-512 signed the NCALayer way), the
// PrintedForm alone, and a number drawn from the SQLite store. Templates, XSDs
// and the key are loaded once, outside the timed loop, as a service does.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "qujat/common/time.h"
#include "qujat/docs/document_engine.h"
#include "qujat/pki/pkcs12.h"
#include "qujat/store/document_numbering.h"
#include "support/nca_material.h"
#include "support/paths.h"

namespace fs = std::filesystem;
using namespace qujat;

namespace {

nlohmann::json docs_sample(const std::string& name) {
  std::ifstream in(qujat::test::source_root() / "samples" / (name + ".json"));
  std::ostringstream s;
  s << in.rdbuf();
  return nlohmann::json::parse(s.str());
}

const docs::DocumentEngine& docs_engine() {
  static const docs::DocumentEngine engine{docs::EngineOptions{}};
  return engine;
}

// In the repository (tests/data/nca-test); a missing file throws and fails the run.
const pki::KeyStore* docs_gost_key() {
  static const pki::KeyStore key =
      pki::load_pkcs12(qujat::test::nca("keys/individual_valid_2015_gost.p12"), qujat::test::kNcaGost2015Password);
  return &key;
}

void issue_loop(benchmark::State& state, const std::string& sample, bool sign) {
  const auto application = model::Application::from_json(docs_sample(sample));
  docs::IssueRequest request;
  request.number = "KZ-EXP-2026-000042";
  request.issue_date = parse_date("2026-01-09");
  if (sign) {
    request.signer = docs_gost_key();
  }
  docs_engine().issue(application, request);  // warm: templates and XSD parsed once
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto doc = docs_engine().issue(application, request);
    bytes = doc.xml.size();
    benchmark::DoNotOptimize(doc);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["xml_bytes"] = static_cast<double>(bytes);
}

}  // namespace

// The acceptance figure: licence XMLs rendered, validated and GOST-signed per second per core (target 300/s).
static void BM_DocsIssueLicenceXmlGostSigned(benchmark::State& state) { issue_loop(state, "export-licence", true); }
BENCHMARK(BM_DocsIssueLicenceXmlGostSigned)->Unit(benchmark::kMicrosecond);

static void BM_DocsIssueLicenceXmlUnsigned(benchmark::State& state) { issue_loop(state, "export-licence", false); }
BENCHMARK(BM_DocsIssueLicenceXmlUnsigned)->Unit(benchmark::kMicrosecond);

static void BM_DocsIssueEucFortyGoodsGostSigned(benchmark::State& state) { issue_loop(state, "euc-forty-goods", true); }
BENCHMARK(BM_DocsIssueEucFortyGoodsGostSigned)->Unit(benchmark::kMicrosecond);

static void BM_DocsBuildXmlValidatedLicence(benchmark::State& state) {
  auto app = docs_sample("export-licence");
  docs::DocumentMeta meta{"export-licence", "KZ-EXP-2026-000042", *parse_date("2026-01-09"), {"kk", "ru"}};
  docs_engine().build_xml(app, meta);
  for (auto _ : state) benchmark::DoNotOptimize(docs_engine().build_xml(app, meta));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DocsBuildXmlValidatedLicence)->Unit(benchmark::kMicrosecond);

static void BM_DocsPrintedFormLicence(benchmark::State& state) {
  auto app = docs_sample("export-licence");
  docs::DocumentMeta meta{"export-licence", "KZ-EXP-2026-000042", *parse_date("2026-01-09"), {"kk", "ru"}};
  docs_engine().build_form(app, meta);
  for (auto _ : state) benchmark::DoNotOptimize(docs_engine().build_form(app, meta));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DocsPrintedFormLicence)->Unit(benchmark::kMicrosecond);

static void BM_DocsNumberingSqliteNext(benchmark::State& state) {
  auto path = fs::temp_directory_path() / ("qujat-bench-numbering-" + std::to_string(::getpid()) + ".db");
  fs::remove(path);
  {
    auto db = store::open_database(path.string());
    store::DocumentNumbering numbering(std::map<std::string, std::string>{{"export-licence", "KZ-EXP"}});
    for (auto _ : state)
      benchmark::DoNotOptimize(
          db->write([&](store::Transaction& tx) { return numbering.next(tx, "export-licence", 2026); }));
    state.SetItemsProcessed(state.iterations());
  }
  fs::remove(path);
  fs::remove(path.string() + "-wal");
  fs::remove(path.string() + "-shm");
}
BENCHMARK(BM_DocsNumberingSqliteNext)->Unit(benchmark::kMicrosecond);
