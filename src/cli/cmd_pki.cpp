// Placeholder until the owning component lands: keeps the CLI building.
#include "cli/commands.h"

namespace qujat::cli {
void add_pki_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("pki", "(not yet implemented)");
  cmd->callback([&ctx] { ctx.exit_code = 2; });
}
}  // namespace qujat::cli
