// The service end to end, as its users meet it: an applicant signs in with
// the EDS, submits a signed export licence application with its files, an
// officer accepts, records the approval and issues; the signed licence is in
// the applicant's cabinet, its XML and PDF verify with `qujat verify` and
// the PDF with poppler's pdfsig, and its QR target says it is current; a
// re-issue makes the old one superseded. Then SIGTERM stops the server with
// exit 0.
#include <gtest/gtest.h>

#include "api/served_office.h"
#include "support/command.h"

namespace qujat::test {
namespace {

nlohmann::json approval() {
  return {{"body",
           {{"kk", "Қазақстан Республикасы Ұлттық қауіпсіздік комитеті"},
            {"ru", "Комитет национальной безопасности Республики Казахстан"}}},
          {"letter_number", "27/4-1182"},
          {"letter_date", "2026-03-24"}};
}

std::string verify_command(const std::string& file) {
  const auto& p = api_pki();
  return shell_quote(qujat_cli().string()) + " verify " + shell_quote(file) + " --trust " + shell_quote(p.trust_dir) +
         " --ca " + shell_quote(p.rsa.ca) + " --ca " + shell_quote(p.gost.ca) + " 2>&1";
}

TEST(ServiceWalk, FromSignedSubmissionToTheSignedLicenceInTheCabinet) {
  ServedOffice office;
  const auto& company = api_key("first_head");
  const std::string applicant = office.login(company);
  const std::string officer = office.login(api_key("officer"));

  const auto package = ServedOffice::export_package(company);
  auto reply = office.post("/api/v1/applications", ServedOffice::submission(package, company), applicant);
  ASSERT_EQ(reply.status, 201) << reply.body;
  const auto created = reply.json();
  EXPECT_EQ(created["state"], "registered");
  EXPECT_EQ(created["registered_on"], "2026-03-20");
  EXPECT_FALSE(created["due_on"].get<std::string>().empty());
  const std::string id = created["id"];
  EXPECT_EQ(reply.headers.get("Location").value_or(""), "/api/v1/applications/" + id);

  reply = office.get("/api/v1/applications", applicant);
  ASSERT_EQ(reply.status, 200);
  ASSERT_EQ(reply.json()["items"].size(), 1u);
  EXPECT_EQ(reply.json()["items"][0]["id"], id);

  reply = office.get("/api/v1/desk/applications?state=registered", officer);
  ASSERT_EQ(reply.status, 200) << reply.body;
  ASSERT_EQ(reply.json()["items"].size(), 1u);

  // The officer sees the attached files by their hashes.
  const auto& [hash, content] = *package.files.begin();
  reply = office.get("/api/v1/applications/" + id + "/files/" + hash, officer);
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, std::string(as_chars(content)));

  // An action the state does not allow: 409 naming what is allowed.
  reply = office.post("/api/v1/applications/" + id + "/actions", {{"action", "issue"}}, officer);
  ASSERT_EQ(reply.status, 409) << reply.body;
  EXPECT_EQ(reply.json()["error"]["allowed"], (nlohmann::json{"accept", "return"}));

  reply = office.post("/api/v1/applications/" + id + "/actions", {{"action", "accept"}}, officer);
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto record = approval();
  record["action"] = "record_approval";
  reply = office.post("/api/v1/applications/" + id + "/actions", record, officer);
  ASSERT_EQ(reply.status, 200) << reply.body;
  reply = office.post("/api/v1/applications/" + id + "/actions", {{"action", "issue"}}, officer);
  ASSERT_EQ(reply.status, 200) << reply.body;
  ASSERT_EQ(reply.json()["state"], "issued");
  ASSERT_EQ(reply.json()["issued"].size(), 1u);

  // The applicant's cabinet: the licence with its links.
  reply = office.get("/api/v1/applications/" + id, applicant);
  ASSERT_EQ(reply.status, 200);
  const auto view = reply.json();
  EXPECT_EQ(view["state"], "issued");
  EXPECT_FALSE(view.contains("case_file"));  // the officer's view only
  ASSERT_EQ(view["documents"].size(), 1u);
  const auto document = view["documents"][0];
  EXPECT_EQ(document["state"], "valid");
  const std::string number = document["number"];
  const std::string verify_url = document["verify_url"];
  ASSERT_TRUE(verify_url.starts_with(office.url() + "/verify/")) << verify_url;
  ASSERT_GE(view["history"].size(), 4u);

  const auto xml = office.get(document["xml"].get<std::string>(), applicant);
  ASSERT_EQ(xml.status, 200);
  EXPECT_EQ(xml.headers.get("Content-Type").value_or(""), "application/xml; charset=utf-8");
  const auto pdf = office.get(document["pdf"].get<std::string>(), applicant);
  ASSERT_EQ(pdf.status, 200);
  ASSERT_TRUE(pdf.body.starts_with("%PDF"));
  const auto xml_file = write_text(office.dir() / "licence.xml", xml.body);
  const auto pdf_file = write_text(office.dir() / "licence.pdf", pdf.body);

  auto run = run_command(verify_command(xml_file));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  run = run_command(verify_command(pdf_file));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  run = run_command("pdfsig " + shell_quote(pdf_file) + " 2>&1");
  EXPECT_NE(run.out.find("Signature is Valid"), std::string::npos) << run.out;

  // The same file through POST /api/v1/verify.
  reply = office.request("POST", "/api/v1/verify", xml.body, "", "application/xml");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json()["signatures"][0]["valid"], true) << reply.body;

  // The QR target, as JSON and as the page.
  const std::string target = verify_url.substr(office.url().size());
  reply = office.request("GET", target, "", "", "", {{"Accept", "application/json"}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json()["state"], "valid");
  EXPECT_EQ(reply.json()["number"], number);
  reply = office.get(target + "&lang=ru");
  ASSERT_EQ(reply.status, 200);
  EXPECT_NE(reply.body.find("Документ подлинный и действует"), std::string::npos);
  EXPECT_EQ(reply.body.find(company.certificate.identity().iin), std::string::npos);  // no personal data
  // A wrong code is an unknown document.
  reply = office.get("/verify/" + number + "?code=WRONG");
  EXPECT_EQ(reply.status, 404);

  // Re-issue: the old licence is superseded, its page says so.
  reply = office.post(
      "/api/v1/applications/" + id + "/actions",
      {{"action", "reissue"}, {"reason", "the director changed"}, {"changes", nlohmann::json::object()}}, officer);
  ASSERT_EQ(reply.status, 200) << reply.body;
  reply = office.request("GET", target, "", "", "", {{"Accept", "application/json"}});
  EXPECT_EQ(reply.json()["state"], "superseded") << reply.body;

  // Metrics count what happened.
  const auto metrics = office.get("/metrics").body;
  EXPECT_NE(metrics.find("qujat_documents_issued_total{kind=\"export-licence\"}"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("qujat_verifications_total{source=\"page\",result=\"valid\"}"), std::string::npos);
  EXPECT_NE(metrics.find("qujat_outbox_depth"), std::string::npos);

  EXPECT_EQ(office.stop(), 0);
  const auto log = office.log();
  EXPECT_NE(log.find("\"event\":\"clock.fixed\""), std::string::npos);
  EXPECT_EQ(log.find(applicant), std::string::npos);                           // tokens are never logged
  EXPECT_EQ(log.find(company.certificate.identity().iin), std::string::npos);  // IINs are masked
}

}  // namespace
}  // namespace qujat::test
