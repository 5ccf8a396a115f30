// A `qujat` process issuing licences as fast as it can, for the test that
// kills it (SIGKILL) at random points: `qujat_issue_loop` opens the SQLite
// store named by $QUJAT_LOOP_DB with the test PKI made in $QUJAT_LOOP_PKI
// (password $QUJAT_LOOP_PASSWORD), and for ever submits an export licence
// application and accepts, approves and issues it. It prints "ACK <id>" once
// an application is acknowledged (submit returned) and "ISSUED <id>" once its
// licence is, flushing each line, so the test knows what was promised.
#include <cstdlib>
#include <iostream>

#include "qujat/common/error.h"
#include "qujat/pki/pkcs12.h"
#include "qujat/workflow/intake.h"
#include "qujat/workflow/procedure.h"
#include "support/test_office.h"

int main() {
  using namespace qujat;
  const char* db_path = std::getenv("QUJAT_LOOP_DB");
  const char* pki_dir = std::getenv("QUJAT_LOOP_PKI");
  const char* password = std::getenv("QUJAT_LOOP_PASSWORD");
  if (db_path == nullptr || pki_dir == nullptr || password == nullptr) {
    std::cerr << "usage: QUJAT_LOOP_DB=FILE QUJAT_LOOP_PKI=DIR QUJAT_LOOP_PASSWORD=P qujat_issue_loop\n";
    return 2;
  }
  try {
    const auto pki = test::test_pki_at(pki_dir);
    const auto officer = pki::load_pkcs12(pki.rsa.keys.at("officer"), password);
    const auto head = pki::load_pkcs12(pki.rsa.keys.at("first_head"), password);
    auto db = store::open_database(std::string("sqlite:") + db_path);
    FixedClock clock(*parse_instant("2026-03-20T10:00:00+05:00"));
    const auto office = test::make_test_office(*db, clock, officer, pki);
    const workflow::Actor officer_actor{officer.certificate.identity().iin, "", "officer", {"officer"}};
    const nlohmann::json approval = {{"body", {{"kk", "Ұлттық қауіпсіздік комитеті"}, {"ru", "Комитет национальной безопасности"}}},
                                     {"letter_number", "27/4-1182"},
                                     {"letter_date", "2026-03-20"}};
    for (;;) {
      test::Package p{test::sample("export-licence"), {}};
      p.application.erase("licence");
      p.application["applicant"]["bin"] = head.certificate.identity().bin;
      p.application["flags"]["first_export_to_counterparty"] = false;
      p.attach_files();
      const auto record =
          workflow::Intake(*office).submit({test::sign(p.application, head, clock.now()), p.files}, std::nullopt);
      std::cout << "ACK " << record.id << std::endl;
      const workflow::Procedure procedure(*office);
      procedure.act(record.id, {"accept", nlohmann::json::object(), {}}, officer_actor);
      procedure.act(record.id, {"record_approval", approval, {}}, officer_actor);
      procedure.act(record.id, {"issue", nlohmann::json::object(), {}}, officer_actor);
      std::cout << "ISSUED " << record.id << std::endl;
    }
  } catch (const Error& e) {
    std::cerr << "qujat_issue_loop: " << e.code() << ": " << e.full_message() << "\n";
    return 1;
  }
}
