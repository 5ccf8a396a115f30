// The `qujat` tool: one file per subcommand, each adding itself to the app.
// A subcommand's callback stores its exit code in `exit_code` (the CLI
// contract in docs/cli.md: 0 success, 1 rejected/invalid, 2 unreadable input).
#pragma once

#include <CLI/CLI.hpp>

namespace qujat::cli {

struct Context {
  int exit_code = 0;
};

void add_check_command(CLI::App& app, Context& ctx);
void add_verify_command(CLI::App& app, Context& ctx);
void add_sign_command(CLI::App& app, Context& ctx);
void add_render_command(CLI::App& app, Context& ctx);
void add_pki_command(CLI::App& app, Context& ctx);
void add_procedure_commands(CLI::App& app, Context& ctx);
void add_serve_command(CLI::App& app, Context& ctx);

// Reads a password from the environment variable or file named on the
// command line; never from argv itself. Throws qujat::Error naming the source.
std::string read_password(const std::string& env_var, const std::string& file);

}  // namespace qujat::cli
