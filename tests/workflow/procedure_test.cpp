// The procedure, walked with a fixed clock on both stores: registration by
// the working calendar and the cut-off, terms that stop while the MFA is
// asked, the completeness check, the hearing rules, decisions (one licence
// per commodity code, validity, re-issue) and the audit trail.
#include <gtest/gtest.h>

#include "qujat/store/audit.h"
#include "qujat/store/documents.h"
#include "qujat/store/outbox.h"
#include "qujat/workflow/procedure.h"
#include "workflow/office_fixture.h"

namespace qujat::test {
namespace {

using State = store::ApplicationState;

class Procedure : public OfficeTest {};

TEST_P(Procedure, FridayAfterTheCutoffRegistersOnTheNextWorkingDay) {
  // Friday 20 March 2026, 17:00, after the 16:00 cut-off of licences; 23
  // March is Nauryz, 24 and 25 March are its carry-overs (21-22 fell on the weekend).
  at("2026-03-20T17:00:00+05:00");
  const auto a = submit(export_package());
  EXPECT_EQ(a.state, State::registered);
  EXPECT_EQ(format_date(a.registered_on), "2026-03-26");
  EXPECT_EQ(format_date(a.due_on), "2026-05-12");  // 30 working days
  EXPECT_EQ(a.case_file["completeness_due_on"], "2026-03-30");
  EXPECT_TRUE(a.registration_number.starts_with("KZ-APP-2026-")) << a.registration_number;
  // Before the cut-off the same day counts.
  at("2026-03-20T15:59:00+05:00");
  EXPECT_EQ(format_date(submit(export_package()).registered_on), "2026-03-20");
}

TEST_P(Procedure, ConstitutionDayNoLongerStopsTheTermIn2026) {
  // An EUC (7 working days) registered on Friday 28 August 2026: 31 August
  // is a working day since the 2026 Constitution moved the holiday to 15 March.
  Package p{sample("euc"), {}};
  p.application.erase("certificate");  // the sample is the issued certificate
  p.application["importer"]["bin"] = key_bin("first_head");
  p.application["end_user"]["bin"] = key_bin("end_user_head");
  p.attach_files();
  at("2026-08-28T10:00:00+05:00");
  check_revocation();
  const auto text = p.application.dump();
  dsig::CmsSignOptions options;
  options.signing_time = clock_->now();
  auto cms = dsig::cms_sign(as_bytes(text), test_key("first_head"), options);
  cms = dsig::cms_add_signer(cms, std::nullopt, test_key("end_user_head"), options);
  const auto a = workflow::Intake(*office_).submit({cms, p.files}, std::nullopt);
  EXPECT_EQ(format_date(a.registered_on), "2026-08-28");
  EXPECT_EQ(format_date(a.due_on), "2026-09-08");
}

TEST_P(Procedure, NauryzCarryOversMoveTheDueDate) {
  at("2026-03-13T10:00:00+05:00");  // Friday; an EUC's 7 working days run over 16-27 March
  Package p{sample("iic"), {}};
  p.application.erase("certificate");
  p.application["importer"]["bin"] = key_bin("first_head");
  p.attach_files();
  const auto a = submit(p);
  // 16,17,18,19,20 (9 March was the 8 March carry-over, before), then 23-25 off: 26, 27.
  EXPECT_EQ(format_date(a.due_on), "2026-03-27");
}

TEST_P(Procedure, TheMfaWaitStopsTheTermAndItsAnswerResumesIt) {
  auto p = export_package();
  p.application["flags"]["first_export_to_counterparty"] = true;  // the MFA must confirm the guarantee
  const auto a = submit(p);  // Friday 20 March 10:00: registered that day
  // 30 working days: 26 March ... 30 April is 26, then 4, 5, 6 and 8 May (1 and 7 May are holidays).
  EXPECT_EQ(format_date(a.due_on), "2026-05-08");
  at("2026-03-26T10:00:00+05:00");
  act(a.id, "accept");
  auto v = view(a.id);
  ASSERT_EQ(v.application.state, State::awaiting_mfa);
  ASSERT_EQ(v.guarantee_checks.size(), 1u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE topic = 'mfa.check'"), 1);
  // While it waits, the due date moves on with every working day: on 2 April
  // it has stood still 6 working days (26, 27, 30, 31 March, 1 and 2 April).
  at("2026-04-02T11:00:00+05:00");
  EXPECT_EQ(format_date(workflow::Procedure(*office_).displayed_due_on(v.application)), "2026-05-19");
  const std::string check = v.guarantee_checks[0]["id"];
  EXPECT_TRUE(workflow::Procedure(*office_).record_guarantee_answer(check, "authentic", "mfa-answer-1", {},
                                                                    workflow::Actor::system("mfa")));
  v = view(a.id);
  // The answer day runs again: 5 working days stood still, and 11 May is the 9 May carry-over.
  EXPECT_EQ(v.application.state, State::under_review);
  EXPECT_EQ(v.application.stopped_days, 5);
  EXPECT_EQ(format_date(v.application.due_on), "2026-05-18");
  // The same answer again is recorded once.
  EXPECT_FALSE(workflow::Procedure(*office_).record_guarantee_answer(check, "authentic", "mfa-answer-1", {},
                                                                     workflow::Actor::system("mfa")));
  EXPECT_EQ(count("SELECT COUNT(*) FROM application_events WHERE action = 'record_mfa_answer'"), 1);
}

TEST_P(Procedure, AMissingGuaranteeDocumentIsARefusalToConsiderNamingIt) {
  auto p = export_package();
  auto& attachments = p.application["attachments"];
  for (std::size_t i = attachments.size(); i-- > 0;)
    if (attachments[i]["type"] == "end_user_certificate") attachments.erase(i);
  p.attach_files();
  const auto a = submit(p);
  EXPECT_EQ(refusal(a.id, "accept"), "completeness.incomplete");
  const auto outcome = act(a.id, "return");
  EXPECT_EQ(outcome.application.state, State::returned);
  ASSERT_EQ(outcome.documents.size(), 1u);
  EXPECT_EQ(outcome.documents[0].kind, "refusal-to-consider");
  const auto& issued = outcome.application.case_file["issued"][outcome.documents[0].number];
  bool named = false;
  for (const auto& m : issued["missing_documents"]) named = named || m["type"] == "guarantee_document";
  EXPECT_TRUE(named) << issued["missing_documents"].dump();
  // Signed, in the applicant's cabinet, and the application is closed.
  const auto document = workflow::Procedure(*office_).document(
      outcome.documents[0].number, workflow::Actor{key_iin("first_head"), key_bin("first_head"), "", {}}, true);
  EXPECT_NE(document.xml.find("<ds:Signature"), std::string::npos);
  EXPECT_EQ(std::string(as_chars(ByteView(document.pdf.data(), 5))), "%PDF-");
  EXPECT_EQ(refusal(a.id, "issue"), "action.not_allowed");
}

TEST_P(Procedure, TheHearingNoticeIsDatedByTheRule) {
  const auto a = submit(export_package());  // due 8 May 2026
  act(a.id, "accept");
  const auto hearing = [](const char* at) {
    return nlohmann::json{{"grounds", {7}}, {"hearing_at", at}, {"place", "Астана"}};
  };
  // The notice no later than 3 working days before the term ends: 6, 5 and
  // 4 May are those days (7 May is a holiday), so 4 May is the last.
  at("2026-05-05T10:00:00+05:00");
  EXPECT_EQ(refusal(a.id, "preliminary_refusal", hearing("2026-05-06T11:00:00+05:00")), "hearing.notice_too_late");
  at("2026-05-04T10:00:00+05:00");
  // The hearing within 2 working days of the notice: by 6 May.
  EXPECT_EQ(refusal(a.id, "preliminary_refusal", hearing("2026-05-08T11:00:00+05:00")), "hearing.date_out_of_term");
  const auto outcome = act(a.id, "preliminary_refusal", hearing("2026-05-06T11:00:00+05:00"));
  EXPECT_EQ(outcome.application.state, State::preliminary_refusal);
  ASSERT_EQ(outcome.documents.size(), 1u);
  EXPECT_EQ(outcome.documents[0].kind, "hearing-notice");
}

TEST_P(Procedure, GroundTwelveNeedsTheMfasNegativeAnswer) {
  auto p = export_package();
  p.application["flags"]["first_export_to_counterparty"] = true;
  const auto a = submit(p);
  act(a.id, "accept");
  at("2026-03-25T10:00:00+05:00");
  const auto body = nlohmann::json{{"grounds", {12}}, {"hearing_at", "2026-03-27T11:00:00+05:00"}, {"place", "Астана"}};
  EXPECT_EQ(refusal(a.id, "preliminary_refusal", body), "ground.mfa_premature");
  const std::string check = view(a.id).guarantee_checks[0]["id"];
  workflow::Procedure(*office_).record_guarantee_answer(check, "not_authentic", "mfa-answer-2", {},
                                                        workflow::Actor::system("mfa"));
  EXPECT_EQ(refusal(a.id, "preliminary_refusal", body), "");
}

TEST_P(Procedure, ARefusalOnAGroundNeverHeardIsRefusedOrFlagged) {
  const auto a = submit(export_package());
  act(a.id, "accept");
  act(a.id, "preliminary_refusal", {{"grounds", {7}}, {"hearing_at", "2026-03-26T11:00:00+05:00"}, {"online", "https://meet.test/1"}});
  act(a.id, "record_hearing", nlohmann::json::object({{"reason", "the applicant attended"}}));
  EXPECT_EQ(refusal(a.id, "refuse", nlohmann::json::object({{"grounds", {7, 3}}})), "ground.not_heard");
  const auto outcome = act(a.id, "refuse", {{"grounds", {7, 3}}, {"unheard_grounds_reason", "a forged certificate found after the hearing"}});
  EXPECT_EQ(outcome.application.state, State::refused);
  EXPECT_EQ(outcome.flags, std::vector<std::string>{"ground_not_heard:3"});
  // A refused application cannot end with a licence too.
  try {
    workflow::Procedure(*office_).act(a.id, {"issue", {}, {}}, officer());
    FAIL();
  } catch (const workflow::ProcedureError& e) {
    EXPECT_EQ(e.code(), "action.not_allowed");
    EXPECT_TRUE(e.allowed().empty());
  }
}

nlohmann::json approval() {
  return {{"body", {{"kk", "Қазақстан Республикасы Ұлттық қауіпсіздік комитеті"},
                    {"ru", "Комитет национальной безопасности Республики Казахстан"}}},
          {"letter_number", "27/4-1182"},
          {"letter_date", "2026-03-24"}};
}

TEST_P(Procedure, ThreeCommodityCodesGiveThreeLicences) {
  auto p = export_package();
  auto goods = p.application["goods"][0];
  p.application["goods"] = nlohmann::json::array();
  for (const char* code : {"8517620009", "8517690000", "8543709000"}) {
    goods["hs_code"] = code;
    goods["value"] = "1000.00";
    p.application["goods"].push_back(goods);
  }
  p.application["total_value"] = "3000.00";
  const auto a = submit(p);
  act(a.id, "accept");
  EXPECT_EQ(refusal(a.id, "issue"), "approval.missing");
  act(a.id, "record_approval", approval());
  at("2026-04-01T10:00:00+05:00");
  const auto outcome = act(a.id, "issue");
  ASSERT_EQ(outcome.documents.size(), 3u);
  EXPECT_EQ(outcome.application.state, State::issued);
  std::set<std::string> numbers;
  for (const auto& d : outcome.documents) {
    numbers.insert(d.number);
    const auto& data = outcome.application.case_file["issued"][d.number];
    ASSERT_EQ(data["goods"].size(), 1u);
    EXPECT_EQ(data["total_value"], "1000.00");
    EXPECT_EQ(d.fee_tenge, 43250);  // 10 MRP of 2026
  }
  EXPECT_EQ(numbers.size(), 3u);
}

TEST_P(Procedure, AnEarlierExpiringDocumentCutsTheValidity) {
  auto p = export_package();
  for (auto& attachment : p.application["attachments"])
    if (attachment["type"] == "end_user_certificate") attachment["valid_until"] = "2026-09-30";
  p.attach_files();
  const auto a = submit(p);
  act(a.id, "accept");
  act(a.id, "record_approval", approval());
  at("2026-04-06T10:00:00+05:00");
  const auto d = act(a.id, "issue").documents.at(0);
  EXPECT_EQ(format_date(*d.valid_from), "2026-04-06");  // never before the issue date
  EXPECT_EQ(format_date(*d.valid_until), "2026-09-30");
}

TEST_P(Procedure, ReissueSupersedesTheOldLicence) {
  const auto a = submit(export_package());
  act(a.id, "accept");
  act(a.id, "record_approval", approval());
  const auto old = act(a.id, "issue").documents.at(0);
  auto applicant = sample("export-licence")["applicant"];
  applicant["bin"] = key_bin("first_head");
  applicant["address"] = {{"kk", "Астана қ., Мәңгілік Ел даңғылы, 8"}, {"ru", "г. Астана, проспект Мангилик Ел, 8"}};
  at("2026-04-10T10:00:00+05:00");
  const auto outcome = act(a.id, "reissue", {{"reason", "the applicant moved"}, {"changes", {{"applicant", applicant}}}});
  ASSERT_EQ(outcome.documents.size(), 1u);
  EXPECT_EQ(outcome.documents[0].supersedes, old.number);
  EXPECT_EQ(outcome.documents[0].fee_tenge, 4325);  // 1 MRP
  const auto documents = view(a.id).documents;
  ASSERT_EQ(documents.size(), 2u);
  EXPECT_EQ(documents[0].state, store::DocumentState::superseded);
  EXPECT_EQ(documents[0].superseded_by, outcome.documents[0].number);
  EXPECT_EQ(documents[1].state, store::DocumentState::valid);
  EXPECT_EQ(refusal(a.id, "reissue", {{"reason", "x"}, {"changes", {{"goods", nlohmann::json::array()}}}}),
            "reissue.field_not_changeable");
}

TEST_P(Procedure, EveryMoveIsInTheHistoryTheAuditAndTheMonitoringFeed) {
  const auto a = submit(export_package());
  act(a.id, "accept");
  act(a.id, "record_approval", approval());
  act(a.id, "issue");
  const auto v = view(a.id);
  ASSERT_EQ(v.history.size(), 4u);
  EXPECT_EQ(v.history[0].action, "submit");
  EXPECT_EQ(v.history[3].state, "issued");
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE topic = 'monitoring'"), 4);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), 4);
  EXPECT_TRUE(store::AuditLog::verify(*database_).intact);
}

TEST_P(Procedure, AuditVerifyFindsARowChangedOrRemovedInTheDatabase) {
  const auto a = submit(export_package());
  act(a.id, "accept");
  act(a.id, "record_risk_assessment", nlohmann::json::object({{"level", "low"}}));
  ASSERT_TRUE(store::AuditLog::verify(*database_).intact);
  database_->write([](store::Transaction& tx) { tx.execute("UPDATE audit_log SET reason = 'nothing' WHERE seq = 2"); });
  auto result = store::AuditLog::verify(*database_);
  EXPECT_FALSE(result.intact);
  EXPECT_EQ(result.first_broken_seq, 2);
  database_->write([](store::Transaction& tx) {
    tx.execute("UPDATE audit_log SET reason = '' WHERE seq = 2");
    tx.execute("DELETE FROM audit_log WHERE seq = 3");
  });
  result = store::AuditLog::verify(*database_);
  EXPECT_FALSE(result.intact);
  EXPECT_NE(result.problem.find("removed"), std::string::npos) << result.problem;
}

TEST_P(Procedure, AnActionTheStateDoesNotAllowNamesTheAllowedOnes) {
  const auto a = submit(export_package());
  try {
    workflow::Procedure(*office_).act(a.id, {"issue", {}, {}}, officer());
    FAIL();
  } catch (const workflow::ProcedureError& e) {
    EXPECT_EQ(e.kind(), workflow::ProcedureError::Kind::not_allowed);
    EXPECT_EQ(e.allowed(), (std::vector<std::string>{"accept", "return"}));
    EXPECT_FALSE(e.message().kk.empty());
    EXPECT_FALSE(e.message().ru.empty());
  }
}

TEST_P(Procedure, ApplicantsSeeOnlyTheirOwn) {
  const auto a = submit(export_package());
  const workflow::Procedure procedure(*office_);
  const workflow::Actor owner{key_iin("first_head"), key_bin("first_head"), "", {}};
  const workflow::Actor stranger{key_iin("individual"), "", "", {}};
  const auto seen = procedure.view(a.id, owner);
  EXPECT_EQ(seen.application.id, a.id);
  // A status read: the completeness date, not the application data or intake report.
  EXPECT_EQ(seen.application.case_file["completeness_due_on"], a.case_file["completeness_due_on"]);
  EXPECT_EQ(workflow::to_json(seen, procedure, office_->issuance.engine(), false)["term"]["completeness_due_on"],
            a.case_file["completeness_due_on"]);
  EXPECT_TRUE(seen.application.data.empty() || seen.application.data.is_null());
  EXPECT_TRUE(seen.application.intake.empty() || seen.application.intake.is_null());
  EXPECT_EQ(procedure.view(a.id, officer()).application.data, a.data);
  EXPECT_EQ(procedure.cabinet(owner).size(), 1u);
  EXPECT_TRUE(procedure.cabinet(stranger).empty());
  try {
    procedure.view(a.id, stranger);
    FAIL();
  } catch (const workflow::ProcedureError& e) {
    EXPECT_EQ(e.kind(), workflow::ProcedureError::Kind::not_found);
  }
  EXPECT_THROW(procedure.act(a.id, {"accept", {}, {}}, owner), workflow::ProcedureError);
}

TEST_P(Procedure, GeneralLicenceReportsDecreaseTheRemainder) {
  Package p{sample("general-export-licence"), {}};
  p.application.erase("licence");
  p.application["applicant"]["bin"] = key_bin("first_head");
  p.application["flags"]["first_export_to_counterparty"] = false;
  p.attach_files();
  const auto a = submit(p);
  act(a.id, "accept");
  act(a.id, "record_approval", approval());
  const auto licence = act(a.id, "issue").documents.at(0);
  auto report = sample("execution-report");
  report["applicant"]["bin"] = key_bin("first_head");
  report["general_licence"]["number"] = licence.number;
  const workflow::Actor holder{key_iin("first_head"), key_bin("first_head"), "", {}};
  const auto remaining = workflow::Procedure(*office_).report_execution(licence.number, report, holder);
  EXPECT_EQ(remaining["remaining"][0]["remaining"], "16000");
  EXPECT_EQ(remaining["remaining"][1]["remaining"], "3999.5");
  // The same report again would export beyond what remains of the second item.
  report["goods"][0]["remaining_quantity"] = "8000";
  report["goods"][1]["exported_quantity"] = "4000";
  report["goods"][1]["remaining_quantity"] = "0";
  try {
    workflow::Procedure(*office_).report_execution(licence.number, report, holder);
    FAIL();
  } catch (const workflow::ProcedureError& e) {
    EXPECT_EQ(e.code(), "report.beyond_remainder");
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, Procedure, ::testing::Values(Backend::sqlite, Backend::postgresql),
                         [](const auto& info) { return info.param == Backend::sqlite ? "sqlite" : "postgresql"; });

}  // namespace
}  // namespace qujat::test
