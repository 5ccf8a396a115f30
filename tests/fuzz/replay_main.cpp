// Runs a fuzz target over files without libFuzzer, so the seed corpora and
// every input a fuzzer ever found (regressions/) are checked by the normal
// build and CTest: `fuzz_replay_TARGET FILE_OR_FOLDER...`. Each file is one
// input; a crash, a sanitizer report or a broken invariant fails the run.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "fuzz/fuzz_support.h"
#include "qujat/common/bytes.h"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg(argv[i]);
    if (fs::is_directory(arg)) {
      for (const auto& e : fs::recursive_directory_iterator(arg))
        if (e.is_regular_file() && e.path().filename().string().rfind("README", 0) != 0) files.push_back(e.path());
    } else if (fs::is_regular_file(arg)) {
      files.push_back(arg);
    } else {
      std::fprintf(stderr, "replay: no such file or folder: %s\n", argv[i]);
      return 2;
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "replay: no inputs given\n");
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  for (const auto& f : files) {
    // Named before it runs: a crash then points at its input.
    std::printf("replay: %s\n", f.string().c_str());
    std::fflush(stdout);
    const qujat::Bytes data = qujat::read_file(f.string());
    LLVMFuzzerTestOneInput(data.data(), data.size());
  }
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  std::printf("replay: %zu inputs, no finding (%lld ms)\n", files.size(), static_cast<long long>(ms));
  return 0;
}
