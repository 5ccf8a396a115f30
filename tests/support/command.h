// Runs a shell command line in a test and captures its standard output: the
// tests of the qujat tool and those that ask poppler or qpdf about a PDF.
// Standard error goes wherever the command line sends it.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>

namespace qujat::test {

struct CommandRun {
  int exit_code = -1;  // the exit status; 128 + signal when the command was killed
  std::string out;
};

inline CommandRun run_command(const std::string& command_line) {
  CommandRun run;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command_line.c_str(), "r"), pclose);
  if (!pipe) return run;
  std::array<char, 4096> buf{};
  while (const std::size_t n = fread(buf.data(), 1, buf.size(), pipe.get())) run.out.append(buf.data(), n);
  const int status = pclose(pipe.release());
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

// Single-quotes a word for /bin/sh.
inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (const char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace qujat::test
