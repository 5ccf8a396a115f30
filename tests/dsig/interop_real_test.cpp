// Real NCA signatures from other projects' public test suites
// (tests/data/interop-real/README.md): each file is what its source stored,
// and each is judged as its source expects.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "qujat/common/bytes.h"
#include "qujat/pki/digest.h"
#include "support/nca_material.h"

namespace qujat::dsig {
namespace {

// The manifest names every file's source and SHA-256: the copies are the
// bytes the sources published, and every signed file here is listed.
TEST(InteropReal, EveryFileIsTheOneItsManifestNames) {
  std::ifstream manifest(test::interop_real("manifest.jsonl"));
  ASSERT_TRUE(manifest) << test::interop_real("manifest.jsonl");
  std::set<std::string> listed;
  for (std::string line; std::getline(manifest, line);) {
    if (line.empty()) continue;
    const auto entry = nlohmann::json::parse(line);
    const std::string file = entry.at("file");
    SCOPED_TRACE(file);
    EXPECT_FALSE(entry.at("repo").get<std::string>().empty());
    EXPECT_EQ(entry.at("commit").get<std::string>().size(), 40u);
    EXPECT_EQ(hex_encode(pki::digest(pki::DigestAlgorithm::Sha256, read_file(test::interop_real(file)))),
              entry.at("sha256").get<std::string>());
    listed.insert(file);
  }
  for (const auto& entry : std::filesystem::directory_iterator(test::interop_real_dir())) {
    const auto ext = entry.path().extension();
    if (ext == ".cms" || ext == ".xml") {
      EXPECT_TRUE(listed.contains(entry.path().filename().string())) << entry.path();
    }
  }
  EXPECT_EQ(listed.size(), 6u);
}

}  // namespace
}  // namespace qujat::dsig
