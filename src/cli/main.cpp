#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "qujat/common/error.h"
#include "qujat/common/resource_dirs.h"

namespace {
// The one place qujat reads where its data lives from the environment: the
// libraries take it from here (qujat/common/resource_dirs.h).
qujat::ResourceDirs resource_dirs_from_environment() {
  auto variable = [](const char* name) -> std::filesystem::path {
    const char* value = std::getenv(name);
    return value != nullptr ? value : "";
  };
  return {variable("QUJAT_TEMPLATES"), variable("QUJAT_SCHEMAS"), variable("QUJAT_FONTS_CONFIG"),
          variable("QUJAT_ISO_CODES_DIR")};
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "qujat (құжат): signed licences, refusals and certificates for the export and import of specific goods "
      "(Kazakhstan). Validates applications, verifies and creates NCA RK signatures (GOST 34.10-2015, RSA), "
      "renders documents to XML and PDF in Kazakh and Russian.",
      "qujat"};
  app.set_version_flag("--version", QUJAT_VERSION);
  app.require_subcommand(1);
  app.footer("Exit codes: 0 success; 1 the input was read but is invalid/rejected; 2 unreadable input or usage error.");

  qujat::set_resource_dirs(resource_dirs_from_environment());
  qujat::cli::Context ctx;
  qujat::cli::add_check_command(app, ctx);
  qujat::cli::add_verify_command(app, ctx);
  qujat::cli::add_sign_command(app, ctx);
  qujat::cli::add_render_command(app, ctx);
  qujat::cli::add_pki_command(app, ctx);
  qujat::cli::add_procedure_commands(app, ctx);
  qujat::cli::add_serve_command(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const qujat::Error& e) {
    std::cerr << "qujat: " << e.full_message() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "qujat: " << e.what() << "\n";
    return 2;
  }
  return ctx.exit_code;
}
