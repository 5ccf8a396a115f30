// SIGKILL at random points of issuing loses nothing: a process issues
// licences in a loop on an SQLite store and is killed, again and again; the
// store then holds every application it acknowledged, no number without a
// document, no document without its record, and an intact audit chain.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <set>
#include <thread>

#include "qujat/store/audit.h"
#include "workflow/office_fixture.h"

namespace qujat::test {
namespace {

struct Promises {
  std::set<std::string> acknowledged;
  std::set<std::string> issued;
};

// Starts the loop and kills it with SIGKILL `delay` after it has printed
// `lines` lines (or after a minute, whatever it did): so it is killed at a
// random point of its work however fast this machine is.
void run_and_kill(const std::string& db, int lines, std::chrono::milliseconds delay, Promises& seen) {
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    ::close(out[1]);
    ::setenv("QUJAT_LOOP_DB", db.c_str(), 1);
    ::setenv("QUJAT_LOOP_PKI", procedure_pki().dir.c_str(), 1);
    ::setenv("QUJAT_LOOP_PASSWORD", kTestPkiPassword, 1);
    ::execl(QUJAT_ISSUE_LOOP, QUJAT_ISSUE_LOOP, static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  std::atomic<bool> killed{false};
  std::thread watchdog([&] {
    for (int i = 0; i < 600 && !killed; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (!killed.exchange(true)) ::kill(pid, SIGKILL);
  });
  std::string buffer;
  char chunk[4096];
  for (ssize_t n; (n = ::read(out[0], chunk, sizeof chunk)) > 0;) {
    buffer.append(chunk, static_cast<std::size_t>(n));
    if (!killed && std::count(buffer.begin(), buffer.end(), '\n') >= lines) {
      std::this_thread::sleep_for(delay);
      if (!killed.exchange(true)) ::kill(pid, SIGKILL);
    }
  }
  ::close(out[0]);
  killed = true;
  watchdog.join();
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the loop ended by itself: " << buffer;
  // Only whole lines count: a line cut by the kill was never promised.
  std::size_t start = 0;
  for (std::size_t end; (end = buffer.find('\n', start)) != std::string::npos; start = end + 1) {
    const auto line = buffer.substr(start, end - start);
    if (line.starts_with("ACK ")) seen.acknowledged.insert(line.substr(4));
    if (line.starts_with("ISSUED ")) seen.issued.insert(line.substr(7));
  }
}

TEST(KilledWhileIssuing, LosesNothingItAcknowledged) {
  const auto path = std::filesystem::temp_directory_path() / ("qujat-kill-" + std::to_string(::getpid()) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  store::open_database("sqlite:" + path.string());  // created and migrated before the races start
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> lines(1, 8);
  std::uniform_int_distribution<int> delay(0, 150);
  Promises seen;
  for (int round = 0; round < 8; ++round)
    run_and_kill(path.string(), lines(random), std::chrono::milliseconds(delay(random)), seen);
  ASSERT_GT(seen.issued.size(), 3u) << "the loop made too little progress to test anything";

  auto db = store::open_database("sqlite:" + path.string());
  db->read([&](store::Transaction& tx) {
    // Every acknowledged application is there; every one reported issued has its licence.
    for (const auto& id : seen.acknowledged)
      EXPECT_TRUE(tx.query_row("SELECT 1 FROM applications WHERE id = ?", {id}).has_value()) << id;
    for (const auto& id : seen.issued)
      EXPECT_EQ(tx.query_row("SELECT COUNT(*) FROM documents WHERE application_id = ?", {id})->integer(0), 1) << id;
    // No number without its document: the licence numbers drawn are exactly 1..n.
    const auto drawn = tx.query_row(
        "SELECT COALESCE(MAX(last_value), 0) FROM document_sequences WHERE scope = 'export-licence'");
    const auto documents = tx.query_row("SELECT COUNT(*) FROM documents WHERE kind = 'export-licence'");
    EXPECT_EQ(drawn->integer(0), documents->integer(0));
    // No registration number without its application.
    EXPECT_EQ(tx.query_row("SELECT COALESCE(MAX(last_value), 0) FROM document_sequences WHERE scope = 'application'")
                  ->integer(0),
              tx.query_row("SELECT COUNT(*) FROM applications")->integer(0));
    // No document without its record and state: an issued application has
    // its licence, a licence belongs to an issued application.
    EXPECT_EQ(tx.query_row("SELECT COUNT(*) FROM applications a WHERE state = 'issued' AND NOT EXISTS "
                           "(SELECT 1 FROM documents d WHERE d.application_id = a.id)")
                  ->integer(0),
              0);
    EXPECT_EQ(tx.query_row("SELECT COUNT(*) FROM documents d JOIN applications a ON a.id = d.application_id "
                           "WHERE a.state <> 'issued'")
                  ->integer(0),
              0);
    // Each application's history has no holes, and every file it named is kept.
    EXPECT_EQ(tx.query_row("SELECT COUNT(*) FROM (SELECT application_id FROM application_events GROUP BY "
                           "application_id HAVING MAX(seq) <> COUNT(*)) holes")
                  ->integer(0),
              0);
    EXPECT_EQ(tx.query_row("SELECT COUNT(*) FROM applications a WHERE NOT EXISTS "
                           "(SELECT 1 FROM application_files f WHERE f.application_id = a.id)")
                  ->integer(0),
              0);
  });
  const auto audit = store::AuditLog::verify(*db);
  EXPECT_TRUE(audit.intact) << audit.problem;
  db.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

}  // namespace
}  // namespace qujat::test
