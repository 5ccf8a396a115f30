// PDF rendering throughput (per core: Google Benchmark's rates use CPU time)
// and size per document kind; signing cost with the NCA test keys; the
// licence issued end to end (XML signed + PDF signed); RSS over 10,000 renders.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "qujat/docs/document_engine.h"
#include "qujat/pki/pkcs12.h"
#include "qujat/render/pdf.h"
#include "render/sample_forms.h"
#include "support/nca_material.h"
#include "support/paths.h"

namespace fs = std::filesystem;
using namespace qujat;

namespace {

fs::path nca_keys() { return qujat::test::nca_test_dir() / "keys"; }

// The NCA test keys are in the repository (tests/data/nca-test): a missing one
// throws, so the run fails instead of leaving a figure out.
const pki::KeyStore& key(const std::string& file, const std::string& password) {
  static std::map<std::string, std::unique_ptr<pki::KeyStore>> keys;
  auto& slot = keys[file];
  if (!slot) slot = std::make_unique<pki::KeyStore>(pki::load_pkcs12((nca_keys() / file).string(), password));
  return *slot;
}

const pki::KeyStore& gost_key() { return key("individual_valid_2015_gost.p12", qujat::test::kNcaGost2015Password); }
const pki::KeyStore& rsa_key() { return key("individual_valid_sign_2004_rsa.p12", qujat::test::kNcaRsa2004Password); }

long rss_kb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

const docs::DocumentEngine& engine() {
  static const docs::DocumentEngine e{docs::EngineOptions{}};
  return e;
}

nlohmann::json sample(const std::string& name) {
  std::ifstream in(qujat::test::source_root() / "samples" / (name + ".json"));
  return nlohmann::json::parse(in);
}

docs::PrintedForm sample_form(const std::string& name) {
  auto app = sample(name);
  docs::DocumentMeta meta;
  meta.kind = app.at("kind").get<std::string>();
  meta.number = "KZ-BEN-2026-000001";
  meta.issue_date = *parse_date("2026-04-28");
  auto form = engine().build_form(app, meta);
  if (form.verification_url.empty()) form.verification_url = engine().verification_url(meta.number, "BENCHCODE");
  return form;
}

void render_and_count(benchmark::State& state, const docs::PrintedForm& form, const render::PdfOptions& options) {
  std::size_t size = 0;
  for (auto _ : state) {
    Bytes pdf = render::render_pdf(form, options);
    size = pdf.size();
    benchmark::DoNotOptimize(pdf.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["pdf_bytes"] = static_cast<double>(size);
}

}  // namespace

static void BM_RenderPdf_HandBuiltLicence(benchmark::State& state) {
  render_and_count(state, test::export_licence_form(), {});
}
BENCHMARK(BM_RenderPdf_HandBuiltLicence);

static void BM_RenderPdf_HandBuiltEucFortyGoods(benchmark::State& state) {
  render_and_count(state, test::euc_form(40), {});
}
BENCHMARK(BM_RenderPdf_HandBuiltEucFortyGoods);

// Every sample kind, unsigned: the size counter is that kind's PDF size.
static void BM_RenderPdf_Sample(benchmark::State& state, const std::string& name) {
  docs::PrintedForm form;
  try {
    form = sample_form(name);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  render_and_count(state, form, {});
}
BENCHMARK_CAPTURE(BM_RenderPdf_Sample, export_licence, std::string("export-licence"));
BENCHMARK_CAPTURE(BM_RenderPdf_Sample, import_licence, std::string("import-licence"));
BENCHMARK_CAPTURE(BM_RenderPdf_Sample, general_export_licence, std::string("general-export-licence"));
BENCHMARK_CAPTURE(BM_RenderPdf_Sample, trade_export_licence, std::string("trade-export-licence"));
BENCHMARK_CAPTURE(BM_RenderPdf_Sample, trade_import_licence, std::string("trade-import-licence"));
BENCHMARK_CAPTURE(BM_RenderPdf_Sample, reexport_permit, std::string("reexport-permit"));
BENCHMARK_CAPTURE(BM_RenderPdf_Sample, euc, std::string("euc"));
BENCHMARK_CAPTURE(BM_RenderPdf_Sample, euc_forty_goods, std::string("euc-forty-goods"));
BENCHMARK_CAPTURE(BM_RenderPdf_Sample, iic, std::string("iic"));
BENCHMARK_CAPTURE(BM_RenderPdf_Sample, refusal, std::string("refusal"));
BENCHMARK_CAPTURE(BM_RenderPdf_Sample, refusal_to_consider, std::string("refusal-to-consider"));
BENCHMARK_CAPTURE(BM_RenderPdf_Sample, hearing_notice, std::string("hearing-notice"));
BENCHMARK_CAPTURE(BM_RenderPdf_Sample, execution_report, std::string("execution-report"));
BENCHMARK_CAPTURE(BM_RenderPdf_Sample, classification_conclusion, std::string("classification-conclusion"));

static void BM_RenderPdf_LicenceSigned(benchmark::State& state, bool gost) {
  const pki::KeyStore* signer = gost ? &gost_key() : &rsa_key();
  render::PdfOptions options;
  options.signature = render::PdfSignature{signer, {}, {}, {}};
  render_and_count(state, test::export_licence_form(), options);
}
BENCHMARK_CAPTURE(BM_RenderPdf_LicenceSigned, gost2015, true);
BENCHMARK_CAPTURE(BM_RenderPdf_LicenceSigned, rsa, false);

// The target: a licence issued end to end, XML signed and PDF signed.
static void BM_IssueLicence_XmlAndPdfSigned(benchmark::State& state, bool gost) {
  const pki::KeyStore* signer = gost ? &gost_key() : &rsa_key();
  nlohmann::json app;
  try {
    app = sample("export-licence");
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  const auto application = model::Application::from_json(app);
  docs::IssueRequest request;
  request.number = "KZ-EXP-2026-000042";
  request.issue_date = parse_date("2026-04-28");
  request.signer = signer;
  render::PdfOptions options;
  options.signature = render::PdfSignature{signer, {}, {}, {}};
  std::size_t size = 0;
  for (auto _ : state) {
    auto issued = engine().issue(application, request);
    Bytes pdf = render::render_pdf(issued.form, options);
    size = pdf.size();
    benchmark::DoNotOptimize(pdf.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["pdf_bytes"] = static_cast<double>(size);
}
BENCHMARK_CAPTURE(BM_IssueLicence_XmlAndPdfSigned, gost2015, true);
BENCHMARK_CAPTURE(BM_IssueLicence_XmlAndPdfSigned, rsa, false);

// Memory stays flat: RSS before and after 10,000 renders of the licence.
static void BM_RenderPdf_TenThousandRendersRss(benchmark::State& state) {
  const auto form = test::export_licence_form();
  render::render_pdf(form);  // fonts and templates loaded before the first reading
  for (int i = 0; i < 200; ++i) render::render_pdf(form);
  const long before = rss_kb();
  for (auto _ : state)
    for (int i = 0; i < 10000; ++i) benchmark::DoNotOptimize(render::render_pdf(form).data());
  const long after = rss_kb();
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 10000);
  state.counters["rss_before_kb"] = static_cast<double>(before);
  state.counters["rss_after_kb"] = static_cast<double>(after);
  state.counters["rss_growth_kb"] = static_cast<double>(after - before);
}
BENCHMARK(BM_RenderPdf_TenThousandRendersRss)->Iterations(1)->Unit(benchmark::kMillisecond);
