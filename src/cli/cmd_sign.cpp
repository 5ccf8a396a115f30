// `qujat sign`: signs XML the way NCALayer does (a co-signature when already
// signed), SOAP envelopes with WS-Security, anything else as CMS.
#include <iostream>

#include "cli/commands.h"
#include "qujat/workflow/verification.h"
#include "qujat/common/bytes.h"
#include "qujat/common/error.h"
#include "qujat/dsig/cms.h"
#include "qujat/dsig/wssecurity.h"
#include "qujat/dsig/xmldsig.h"
#include "qujat/pki/pkcs12.h"

namespace qujat::cli {

namespace {

struct SignArgs {
  std::string file;
  std::string key;
  std::string password_env;
  std::string password_file;
  std::string format;
  std::string id;
  std::string out;
  bool detached = false;
};

int run_sign(const SignArgs& args) {
  Bytes input = read_file(args.file);
  const auto kind = workflow::detect_signed_format(input);
  std::string format = args.format;
  if (format.empty()) format = kind == workflow::SignedFormat::xml ? "xmldsig" : kind == workflow::SignedFormat::soap ? "wss" : "cms";
  if (format != "cms" && kind != workflow::SignedFormat::xml && kind != workflow::SignedFormat::soap)
    throw Error("cli.format", "--format " + format + " needs an XML input; " + args.file + " is not XML");

  pki::KeyStore signer = pki::load_pkcs12(args.key, read_password(args.password_env, args.password_file));
  Bytes output;
  if (format == "xmldsig") {
    dsig::XmlSignOptions options;
    options.reference_id = args.id;
    std::string signed_xml = dsig::sign_xml(as_chars(input), signer, options);
    output.assign(signed_xml.begin(), signed_xml.end());
  } else if (format == "wss") {
    std::string signed_xml = dsig::wss_sign(as_chars(input), signer);
    output.assign(signed_xml.begin(), signed_xml.end());
  } else if (format == "cms") {
    dsig::CmsSignOptions options;
    options.detached = args.detached;
    output = dsig::cms_sign(input, signer, options);
  } else {
    throw Error("cli.format", "unknown --format '" + format + "' (xmldsig, cms or wss)");
  }
  write_file(args.out, output);
  return 0;
}

}  // namespace

void add_sign_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<SignArgs>();
  auto* cmd = app.add_subcommand("sign", "Sign XML (NCALayer XMLDSig), a SOAP envelope (WS-Security) or any file (CMS)");
  cmd->add_option("FILE", args->file, "the file to sign")->required();
  cmd->add_option("--key", args->key, "PKCS#12 key store (NCA format)")->required();
  auto* env = cmd->add_option("--password-env", args->password_env, "environment variable holding the password");
  auto* file = cmd->add_option("--password-file", args->password_file, "file whose first line is the password");
  env->excludes(file);
  cmd->add_option("--format", args->format, "xmldsig, cms or wss (default: xmldsig for XML, wss for SOAP, else cms)")
      ->check(CLI::IsMember({"xmldsig", "cms", "wss"}));
  cmd->add_flag("--detached", args->detached, "CMS without the content inside");
  cmd->add_option("--id", args->id, "XMLDSig: reference the element with this ID instead of the whole document");
  cmd->add_option("-o,--out", args->out, "output file")->required();
  cmd->callback([&ctx, args] { ctx.exit_code = run_sign(*args); });
}

}  // namespace qujat::cli
