// The public verification page in a real browser: headless Chromium
// (Debian's `chromium`) loads it at a phone's viewport for a current, a
// superseded and an unknown document, in Kazakh and in Russian; the test
// reads the DOM the browser built and keeps each screenshot under
// build/tests/api-screenshots/ as an artefact.
#include <gtest/gtest.h>

#include "api/served_office.h"
#include "support/command.h"

namespace qujat::test {
namespace {

struct Seen {
  std::string dom;
  std::filesystem::path screenshot;
};

Seen open_in_chromium(const std::string& url, const std::string& name, const std::filesystem::path& profile) {
  const auto dir = build_root() / "tests" / "api-screenshots";
  std::filesystem::create_directories(dir);
  const auto shot = dir / (name + ".png");
  std::filesystem::remove(shot);
  const std::string common =
      "chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run "
      "--user-data-dir=" +
      shell_quote(profile.string()) + " --window-size=390,844 ";
  run_command(common + "--screenshot=" + shell_quote(shot.string()) + " " + shell_quote(url) + " >/dev/null 2>&1");
  const auto dom = run_command(common + "--dump-dom " + shell_quote(url) + " 2>/dev/null");
  return {dom.out, shot};
}

TEST(ServicePageInBrowser, ValidSupersededAndUnknownInKazakhAndRussianOnAPhone) {
  ASSERT_EQ(run_command("command -v chromium").exit_code, 0) << "chromium is not installed (scripts/deps)";
  ServedOffice office;
  const auto officer = office.login(api_key("officer"));
  const auto first = office.issue_licence(api_key("first_head"));
  const std::string id = first["id"];
  const std::string old_target = first["documents"][0]["verify_url"].get<std::string>().substr(office.url().size());
  auto reply = office.post("/api/v1/applications/" + id + "/actions",
                           {{"action", "reissue"}, {"reason", "the address changed"}}, officer);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto result = reply.json();
  const auto& issued = result["issued"];
  ASSERT_EQ(issued.size(), 1u);
  const std::string new_target = issued[0]["verify_url"].get<std::string>().substr(office.url().size());
  const std::string new_number = issued[0]["number"];

  const auto profile = office.dir() / "chromium-profile";
  struct Case {
    std::string name, target, lang, status;
    std::vector<std::string> also;
  };
  const std::vector<Case> cases = {
      {"valid-kk", new_target, "kk", "Құжат түпнұсқа және күшінде", {new_number, "Берген орган"}},
      {"valid-ru", new_target, "ru", "Документ подлинный и действует", {new_number, "Комитет промышленности"}},
      {"superseded-kk", old_target, "kk", "Құжат қайта ресімделген", {new_number}},
      {"superseded-ru", old_target, "ru", "Документ переоформлен", {new_number, "Заменён документом"}},
      {"unknown-kk", "/verify/EXP-0000-999999?code=nothing", "kk", "Мұндай құжат табылмады", {}},
      {"unknown-ru", "/verify/EXP-0000-999999?code=nothing", "ru", "Такой документ не найден", {}},
  };
  for (const auto& c : cases) {
    const auto seen = open_in_chromium(office.url() + c.target + "&lang=" + c.lang, c.name, profile);
    EXPECT_NE(seen.dom.find("lang=\"" + c.lang + "\""), std::string::npos) << c.name << "\n" << seen.dom;
    EXPECT_NE(seen.dom.find(c.status), std::string::npos) << c.name << "\n" << seen.dom;
    for (const auto& text : c.also) EXPECT_NE(seen.dom.find(text), std::string::npos) << c.name << ": " << text;
    // The switch leads to the other language of the same document.
    EXPECT_NE(seen.dom.find(c.lang == "kk" ? "Русский" : "Қазақша"), std::string::npos) << c.name;
    // Nothing personal: no IIN or BIN of the holder.
    EXPECT_EQ(seen.dom.find(api_key("first_head").certificate.identity().bin), std::string::npos) << c.name;
    ASSERT_TRUE(std::filesystem::exists(seen.screenshot)) << c.name;
    EXPECT_GT(std::filesystem::file_size(seen.screenshot), 5000u) << c.name;
  }
}

}  // namespace
}  // namespace qujat::test
