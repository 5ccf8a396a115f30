// The ministry's callbacks and the messages of the exchange, in process: a
// callback is taken only when signed by the MFA's own certificate, for a
// check the office sent, and once; anything else is refused, logged, and
// changes nothing.
#include <gtest/gtest.h>

#include "mfa/mfa_fixture.h"
#include "qujat/dsig/wssecurity.h"
#include "qujat/mfa/guarantee_exchange.h"
#include "qujat/mfa/guarantee_message.h"

namespace qujat::test {
namespace {

using State = store::ApplicationState;

class Callback : public MfaTest {
 protected:
  std::unique_ptr<mfa::GuaranteeExchange> exchange() {
    mfa::ExchangeSettings settings;
    settings.gateway.url = "http://127.0.0.1:9/";  // never called here
    return std::make_unique<mfa::GuaranteeExchange>(*office_, settings, test_key("officer"),
                                                    pki::Certificate::from_file(mfa_certificate()),
                                                    [this](const nlohmann::json& line) { log_.push_back(line); });
  }
  static std::string signed_answer(const std::string& key, const std::string& message_id,
                                   const std::string& result = "authentic", const std::string& signer = "employee") {
    return dsig::wss_sign(mfa::answer_envelope({message_id, key, result, ""}), test_key(signer));
  }
  // Everything a refused callback must leave alone.
  std::string snapshot(const std::string& application) {
    const auto v = view(application);
    return std::string(store::name(v.application.state)) + "/" + std::to_string(v.application.version) + "/" +
           v.guarantee_checks.dump() + "/" + std::to_string(answers_recorded());
  }
  std::vector<nlohmann::json> log_;
};

TEST_P(Callback, ASignedAnswerIsRecordedAndItsReplayRefused) {
  const auto [application, check] = awaiting_check();
  const auto ex = exchange();
  const auto envelope = signed_answer("qujat-mfa-" + check, "answer-1");
  const auto first = ex->handle_callback(envelope);
  EXPECT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.outcome, "recorded");
  EXPECT_EQ(*answer_of(check), "authentic");
  EXPECT_EQ(view(application).application.state, State::under_review);
  const auto before = snapshot(application);
  const auto replay = ex->handle_callback(envelope);
  EXPECT_EQ(replay.status, 409);
  EXPECT_EQ(replay.outcome, "mfa.callback.replay");
  EXPECT_NE(replay.body.find("soap:Fault"), std::string::npos);
  EXPECT_EQ(snapshot(application), before);
  // A second, different answer to an answered check is taken but changes nothing.
  const auto again = ex->handle_callback(signed_answer("qujat-mfa-" + check, "answer-2", "not_authentic"));
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.outcome, "already_answered");
  EXPECT_EQ(*answer_of(check), "authentic");
  EXPECT_EQ(answers_recorded(), 1);
  ASSERT_FALSE(log_.empty());
  EXPECT_EQ(log_[1]["code"], "mfa.callback.replay");
}

TEST_P(Callback, AnotherSignerIsRefused) {
  const auto [application, check] = awaiting_check();
  const auto before = snapshot(application);
  const auto ex = exchange();
  // A valid signature by a key of the same PKI that is not the MFA's.
  const auto result = ex->handle_callback(signed_answer("qujat-mfa-" + check, "answer-1", "authentic", "individual"));
  EXPECT_EQ(result.status, 403);
  EXPECT_EQ(result.outcome, "mfa.callback.signature");
  EXPECT_EQ(snapshot(application), before);
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_EQ(log_[0]["outcome"], "rejected");
}

TEST_P(Callback, AChangedAnswerIsRefused) {
  const auto [application, check] = awaiting_check();
  const auto before = snapshot(application);
  auto envelope = signed_answer("qujat-mfa-" + check, "answer-1", "not_authentic");
  envelope.replace(envelope.find("not_authentic"), 13, "authentic");
  const auto result = exchange()->handle_callback(envelope);
  EXPECT_EQ(result.status, 403);
  EXPECT_EQ(result.outcome, "mfa.callback.signature");
  EXPECT_EQ(snapshot(application), before);
}

TEST_P(Callback, AnUnknownCheckIsRefused) {
  const auto [application, check] = awaiting_check();
  const auto before = snapshot(application);
  const auto result = exchange()->handle_callback(signed_answer("qujat-mfa-unknown", "answer-1"));
  EXPECT_EQ(result.status, 404);
  EXPECT_EQ(result.outcome, "mfa.callback.unknown_check");
  EXPECT_EQ(snapshot(application), before);
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_EQ(log_[0]["key"], "qujat-mfa-unknown");
}

TEST_P(Callback, GarbageAndOtherMessagesAreRefused) {
  const auto [application, check] = awaiting_check();
  const auto before = snapshot(application);
  const auto ex = exchange();
  EXPECT_EQ(ex->handle_callback("").status, 403);
  EXPECT_EQ(ex->handle_callback("<a>").status, 403);
  EXPECT_EQ(ex->handle_callback(mfa::answer_envelope({"m", "qujat-mfa-" + check, "authentic", ""})).status, 403);
  // Signed by the MFA but not an answer.
  const auto receipt = dsig::wss_sign(mfa::receipt_envelope("qujat-mfa-" + check), test_key("employee"));
  EXPECT_EQ(ex->handle_callback(receipt).outcome, "mfa.callback.not_an_answer");
  // Signed by the MFA, a result the exchange does not know.
  auto odd = dsig::wss_sign(mfa::answer_envelope({"m", "qujat-mfa-" + check, "maybe", ""}), test_key("employee"));
  EXPECT_EQ(ex->handle_callback(odd).outcome, "mfa.callback.malformed");
  EXPECT_EQ(snapshot(application), before);
  EXPECT_EQ(log_.size(), 5u);
}

TEST_P(Callback, TheRequestCarriesTheGuaranteeDocumentAndItsData) {
  const auto [application, check] = awaiting_check();
  const auto request = database_->read([&](store::Transaction& tx) { return mfa::load_request(tx, check); });
  EXPECT_EQ(request.idempotency_key, "qujat-mfa-" + check);
  EXPECT_EQ(request.document.type, "end_user_certificate");
  EXPECT_EQ(request.document.number, "BAFA-EUC-2026-00871");
  EXPECT_EQ(request.document.issuing_country, "DE");
  EXPECT_EQ(request.document.issuing_authority, "Bundesamt für Wirtschaft und Ausfuhrkontrolle (BAFA)");
  EXPECT_EQ(sha256_hex(request.document.file), request.document.sha256);
  EXPECT_EQ(request.importer.name, "Rohde Systemtechnik GmbH");
  EXPECT_EQ(request.end_user.name, "Fraunhofer-Institut für Nachrichtentechnik");
  ASSERT_EQ(request.goods.size(), 1u);
  EXPECT_EQ(request.goods[0].hs_code, "8517620009");
  EXPECT_EQ(request.contract_number, "KE-DE/2026-014");
  // Signed, verified and read back as the mock reads it.
  const auto envelope = dsig::wss_sign(mfa::request_envelope(request), test_key("officer"));
  dsig::VerifyOptions options = test_trust(pki());
  options.require_signing_key = false;
  const auto verified = dsig::wss_verify_envelope(envelope, options);
  ASSERT_TRUE(verified.valid()) << verified.report.to_json().dump();
  const auto read = mfa::parse_body(*verified.body);
  ASSERT_TRUE(read.request);
  EXPECT_EQ(read.request->document.file, request.document.file);
  EXPECT_EQ(read.request->contract_date, "2026-01-15");
  EXPECT_EQ(read.request->importer.country, "DE");
  EXPECT_EQ(read.request->document.issuing_authority, "Bundesamt für Wirtschaft und Ausfuhrkontrolle (BAFA)");
  // The XSD in schemas/ describes it.
  EXPECT_TRUE(std::filesystem::exists(source_root() / "schemas" / "mfa-guarantee-check.xsd"));
}

TEST_P(Callback, BackoffGrowsWithJitterUpToItsMaximum) {
  mfa::ExchangeSettings s;
  s.backoff_initial = std::chrono::seconds(2);
  s.backoff_max = std::chrono::seconds(60);
  for (int i = 0; i < 50; ++i) {
    const auto first = mfa::backoff_delay(s, 1).count();
    EXPECT_GE(first, 1);
    EXPECT_LE(first, 2);
    const auto fourth = mfa::backoff_delay(s, 4).count();  // 2 * 2^3 = 16, jittered into [8, 16]
    EXPECT_GE(fourth, 8);
    EXPECT_LE(fourth, 16);
    const auto late = mfa::backoff_delay(s, 40).count();
    EXPECT_GE(late, 30);
    EXPECT_LE(late, 60);
  }
}

TEST_P(Callback, ParseRefusesBodiesItDoesNotKnow) {
  const auto body = [](const std::string& inner) {
    return "<soap:Body xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">" + inner + "</soap:Body>";
  };
  EXPECT_THROW(mfa::parse_body(body("")), Error);
  EXPECT_THROW(mfa::parse_body(body("<x/>")), Error);
  EXPECT_THROW(mfa::parse_body(body("<gc:GuaranteeCheckReceipt xmlns:gc=\"urn:qujat:mfa:guarantee-check:1\">"
                                    "<gc:IdempotencyKey>bad key!</gc:IdempotencyKey></gc:GuaranteeCheckReceipt>")),
               Error);
  const auto ok =
      mfa::parse_body(body("<gc:GuaranteeCheckReceipt xmlns:gc=\"urn:qujat:mfa:guarantee-check:1\">"
                           "<gc:IdempotencyKey>qujat-mfa-1</gc:IdempotencyKey></gc:GuaranteeCheckReceipt>"));
  ASSERT_TRUE(ok.receipt);
  EXPECT_EQ(*ok.receipt, "qujat-mfa-1");
}

INSTANTIATE_TEST_SUITE_P(Store, Callback, ::testing::Values(Backend::sqlite, Backend::postgresql),
                         [](const auto& info) {
                           return std::string(info.param == Backend::sqlite ? "sqlite" : "postgresql");
                         });

}  // namespace
}  // namespace qujat::test
