// Hostile HTTP against the real `qujat serve`: malformed JSON, a wrong
// content type, a body over the limit (413 before it is sent), 200 idle
// connections, a client sending one byte per second, a 1 MB header. Each
// gets its 4xx quickly, the server keeps answering others meanwhile, and
// its resident memory stays bounded.
#include <gtest/gtest.h>

#include "api/served_office.h"

namespace qujat::test {
namespace {

long resident_kb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  return -1;
}

class ServiceUnderAttack : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    office_ = new ServedOffice("max_body_bytes = 1048576\nheader_timeout_seconds = 2\nbody_timeout_seconds = 2\n");
  }
  static void TearDownTestSuite() {
    delete office_;
    office_ = nullptr;
  }
  static ServedOffice* office_;
};
ServedOffice* ServiceUnderAttack::office_ = nullptr;

TEST_F(ServiceUnderAttack, MalformedJsonAndWrongContentTypeAre4xxInTheContractShape) {
  const auto token = office_->login(api_key("individual"));
  auto reply = office_->request("POST", "/api/v1/applications", "{\"cms\": [1, 2", token);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.json()["error"]["code"], "http.malformed_json");
  EXPECT_TRUE(reply.json()["error"]["message"].contains("kk"));
  reply = office_->request("POST", "/api/v1/applications", "{}", token, "text/plain");
  EXPECT_EQ(reply.status, 415);
  reply = office_->request("POST", "/api/v1/applications", std::string(100, '[') + std::string(100, ']'), token);
  EXPECT_EQ(reply.status, 400);
  reply = office_->request("POST", "/api/v1/applications", "[]", token);
  EXPECT_EQ(reply.status, 422);
  reply = office_->request("POST", "/api/v1/applications", "{\"cms\": 5}", token);
  EXPECT_EQ(reply.status, 422);
  EXPECT_EQ(reply.json()["error"]["problems"][0]["path"], "/cms");
  reply =
      office_->request("POST", "/api/v1/applications", "{\"cms\": \"" + base64_encode(as_bytes("junk")) + "\"}", token);
  EXPECT_EQ(reply.status, 422);
  EXPECT_TRUE(reply.json()["error"]["code"].get<std::string>().starts_with("signature.")) << reply.body;
}

TEST_F(ServiceUnderAttack, ABodyOverTheLimitIs413BeforeItIsSent) {
  RawClient client(office_->port());
  const std::string head =
      "POST /api/v1/applications HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: "
      "104857600\r\n\r\n";
  ASSERT_TRUE(client.send(head));
  const auto started = std::chrono::steady_clock::now();
  const auto reply = client.read_response(std::chrono::seconds(5));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 413);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

TEST_F(ServiceUnderAttack, AOneMegabyteHeaderIs431) {
  RawClient client(office_->port());
  const std::string head = "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(1 << 20, 'x') + "\r\n\r\n";
  client.send_until_answer(head, std::chrono::seconds(5));
  const auto reply = client.read_response(std::chrono::seconds(5));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 431);
}

// The server's resident memory after the attack and 2,000 requests. Under
// AddressSanitizer every freed block waits in its quarantine (256 MB by
// default) and memory has shadow besides, so RSS there measures the
// sanitizer as much as the server: the whole suite under ASan
// (scripts/sanitize) saw 162 MB, where the plain and Release builds stay
// at 23-35 MB. The sanitizer build gets the quarantine's size on top.
#if defined(__SANITIZE_ADDRESS__)
constexpr long kResidentLimitKb = (150 + 256) * 1024;
#else
constexpr long kResidentLimitKb = 150 * 1024;
#endif

TEST_F(ServiceUnderAttack, IdleAndSlowClientsDoNotStopOthersAndMemoryStaysBounded) {
  std::vector<RawClient> idle;
  for (int i = 0; i < 200; ++i) idle.emplace_back(office_->port());
  // One byte per second: the head never completes within header_timeout (2 s).
  RawClient slow(office_->port());
  std::thread dribble([&] {
    const std::string head = "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Pad: " + std::string(50, 'p');
    for (const char c : head) {
      if (!slow.send(std::string(1, c))) break;
      std::this_thread::sleep_for(std::chrono::seconds(1));
      if (!slow.quiet_and_open()) break;
    }
  });
  // Others are served meanwhile, quickly.
  const auto token = office_->login(api_key("individual"));
  for (int i = 0; i < 20; ++i) {
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(office_->get("/api/v1/applications", token).status, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  }
  dribble.join();
  const auto answer = slow.read_response(std::chrono::seconds(5));
  ASSERT_TRUE(answer) << "the slow client got no answer";
  EXPECT_EQ(answer->status, 408);

  // Many requests later the resident memory is still modest.
  for (int i = 0; i < 2000; ++i) office_->get(i % 2 ? "/healthz" : "/api/v1/applications", token);
  const long rss = resident_kb(office_->pid());
  EXPECT_GT(rss, 0);
  EXPECT_LT(rss, kResidentLimitKb) << "resident memory " << rss << " kB";
}

}  // namespace
}  // namespace qujat::test
