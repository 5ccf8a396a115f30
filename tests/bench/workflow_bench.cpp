// Issuing through the workflow, one licence per iteration on one thread, as
// the service does it: the applicant's signed application (CMS, attached,
// made once outside the loop as NCALayer would) is verified and registered
// by Intake, then accepted, its approval recorded and the licence issued by
// Procedure: the decision, XML signed (XMLDSig) and PDF signed (PAdES), the
// number, the document, the cabinet entry, the audit and monitoring rows,
// each step one transaction in a SQLite store on disk (WAL, synchronous
// commits). The test PKI, templates, schemas, fonts and keys are loaded
// outside the timed loop. Reported with wall time (UseRealTime), since the
// commits wait for the disk and a CPU-time rate would flatter us.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "qujat/common/clock.h"
#include "qujat/pki/pkcs12.h"
#include "qujat/pki/test_pki.h"
#include "qujat/store/database.h"
#include "qujat/workflow/intake.h"
#include "qujat/workflow/procedure.h"
#include "support/test_office.h"

namespace fs = std::filesystem;
using namespace qujat;

namespace {

constexpr const char* kPassword = "Bench1Workflow";

const pki::TestPki& bench_pki() {
  static const pki::TestPki made = [] {
    const auto dir = fs::temp_directory_path() / ("qujat-bench-pki-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    pki::TestPkiOptions options;
    options.now = *parse_instant("2026-03-01T00:00:00Z");
    return pki::make_test_pki(dir.string(), kPassword, options);
  }();
  return made;
}

void issue_through_workflow(benchmark::State& state, bool gost) {
  const auto& family = gost ? bench_pki().gost : bench_pki().rsa;
  const auto officer = pki::load_pkcs12(family.keys.at("officer"), kPassword);
  const auto head = pki::load_pkcs12(family.keys.at("first_head"), kPassword);
  const auto db_path = fs::temp_directory_path() / ("qujat-bench-workflow-" + std::to_string(::getpid()) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db_path.string() + suffix);
  auto db = store::open_database("sqlite:" + db_path.string());
  FixedClock clock(*parse_instant("2026-03-20T10:00:00+05:00"));
  const auto office = test::make_test_office(*db, clock, officer, bench_pki());
  const workflow::Actor officer_actor{officer.certificate.identity().iin, "", "officer", {"officer"}};
  const nlohmann::json approval = {
      {"body", {{"kk", "Ұлттық қауіпсіздік комитеті"}, {"ru", "Комитет национальной безопасности"}}},
      {"letter_number", "27/4-1182"},
      {"letter_date", "2026-03-20"}};

  test::Package package{test::sample("export-licence"), {}};
  package.application.erase("licence");  // the decision is the office's
  package.application["applicant"]["bin"] = head.certificate.identity().bin;
  package.application["flags"]["first_export_to_counterparty"] = false;
  package.attach_files();
  const Bytes signed_application = test::sign(package.application, head, clock.now());

  const workflow::Procedure procedure(*office);
  benchmark::IterationCount issued = 0;
  for (auto _ : state) {
    const auto record = workflow::Intake(*office).submit({signed_application, package.files}, std::nullopt);
    procedure.act(record.id, {"accept", nlohmann::json::object(), {}}, officer_actor);
    procedure.act(record.id, {"record_approval", approval, {}}, officer_actor);
    const auto outcome = procedure.act(record.id, {"issue", nlohmann::json::object(), {}}, officer_actor);
    issued += static_cast<benchmark::IterationCount>(outcome.documents.size());
  }
  if (issued != state.iterations()) state.SkipWithError("an iteration did not issue exactly one licence");
  state.SetItemsProcessed(issued);
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db_path.string() + suffix);
}

void BM_WorkflowIssueLicenceGost(benchmark::State& state) { issue_through_workflow(state, true); }
void BM_WorkflowIssueLicenceRsa(benchmark::State& state) { issue_through_workflow(state, false); }

}  // namespace

BENCHMARK(BM_WorkflowIssueLicenceGost)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
BENCHMARK(BM_WorkflowIssueLicenceRsa)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
