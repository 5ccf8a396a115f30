// `qujat pki`: the national PKI from the command line.
//   qujat pki make-test-pki --out DIR (--password-env VAR | --password-file F)
//       writes the project's own GOST 2015 and RSA test PKI (see certs/README.md)
//   qujat pki show FILE [--json] [--password-env VAR | --password-file F]
//       a certificate's or PKCS#12's holder, validity, key usage, policies, URLs
// Exit 0 done; 2 unreadable input, wrong password or usage error.
#include <openssl/x509v3.h>
#include <nlohmann/json.hpp>

#include <iostream>

#include "cli/commands.h"
#include "qujat/common/error.h"
#include "qujat/pki/pkcs12.h"
#include "qujat/pki/test_pki.h"

namespace qujat::cli {
namespace {

struct PkiOptions {
  std::string out;
  std::string file;
  std::string password_env;
  std::string password_file;
  bool json = false;
};

std::vector<std::string> key_usage_names(unsigned ku) {
  static const std::pair<unsigned, const char*> kBits[] = {{KU_DIGITAL_SIGNATURE, "digitalSignature"},
                                                           {KU_NON_REPUDIATION, "nonRepudiation"},
                                                           {KU_KEY_ENCIPHERMENT, "keyEncipherment"},
                                                           {KU_DATA_ENCIPHERMENT, "dataEncipherment"},
                                                           {KU_KEY_AGREEMENT, "keyAgreement"},
                                                           {KU_KEY_CERT_SIGN, "keyCertSign"},
                                                           {KU_CRL_SIGN, "cRLSign"},
                                                           {KU_ENCIPHER_ONLY, "encipherOnly"},
                                                           {KU_DECIPHER_ONLY, "decipherOnly"}};
  std::vector<std::string> out;
  for (const auto& [bit, label] : kBits)
    if ((ku & bit) != 0) out.emplace_back(label);
  return out;
}

nlohmann::json describe(const pki::Certificate& c) {
  const auto id = c.identity();
  std::vector<std::string> roles;
  for (auto r : id.roles) roles.emplace_back(pki::name(r));
  const auto sig = c.signature_algorithm();
  return {{"subject", c.subject()},
          {"issuer", c.issuer()},
          {"serial", c.serial_hex()},
          {"not_before", format_instant_utc(c.not_before())},
          {"not_after", format_instant_utc(c.not_after())},
          {"key_algorithm", pki::name(c.key_algorithm())},
          {"key_bits", c.public_key().bits()},
          {"signature_algorithm", sig ? std::string(pki::name(*sig)) : std::string("unknown")},
          {"ca", c.is_ca()},
          {"identity",
           {{"iin", id.iin},
            {"bin", id.bin},
            {"common_name", id.common_name},
            {"surname", id.surname},
            {"given_name", id.given_name},
            {"organization", id.organization},
            {"email", id.email},
            {"country", id.country},
            {"roles", roles},
            {"signing_key", id.signing_key},
            {"authentication_key", id.authentication_key}}},
          {"key_usage", key_usage_names(c.key_usage())},
          {"extended_key_usage", c.extended_key_usage()},
          {"policies", c.policies()},
          {"crl_urls", c.crl_urls()},
          {"ocsp_urls", c.ocsp_urls()},
          {"ca_issuer_urls", c.ca_issuer_urls()}};
}

void print_text(const nlohmann::json& j, const std::string& indent) {
  for (const auto& [key, value] : j.items()) {
    if (value.is_object()) {
      std::cout << indent << key << ":\n";
      print_text(value, indent + "  ");
    } else if (value.is_array() && !value.empty() && value.front().is_object()) {
      for (std::size_t i = 0; i < value.size(); ++i) {
        std::cout << indent << key << "[" << i << "]:\n";
        print_text(value[i], indent + "  ");
      }
    } else if (value.is_array()) {
      std::string line;
      for (const auto& v : value)
        line += (line.empty() ? "" : ", ") + (v.is_string() ? v.get<std::string>() : v.dump());
      std::cout << indent << key << ": " << line << "\n";
    } else {
      std::cout << indent << key << ": " << (value.is_string() ? value.get<std::string>() : value.dump()) << "\n";
    }
  }
}

int run_show(const PkiOptions& o) {
  nlohmann::json out;
  out["file"] = o.file;
  try {
    out["certificate"] = describe(pki::Certificate::from_file(o.file));
    out["kind"] = "certificate";
  } catch (const Error& not_a_certificate) {
    if (o.password_env.empty() && o.password_file.empty())
      throw Error("cli.usage", o.file + " is not a certificate; a PKCS#12 needs --password-env or --password-file",
                  {not_a_certificate.full_message()});
    const auto store = pki::load_pkcs12(o.file, read_password(o.password_env, o.password_file));
    out["kind"] = "pkcs12";
    out["key_algorithm"] = pki::name(store.key.algorithm());
    out["certificate"] = describe(store.certificate);
    out["chain"] = nlohmann::json::array();
    for (const auto& c : store.chain) out["chain"].push_back(describe(c));
  }
  if (o.json)
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  else
    print_text(out, "");
  return 0;
}

int run_make_test_pki(const PkiOptions& o) {
  const std::string password = read_password(o.password_env, o.password_file);
  if (password.empty()) throw Error("password.empty", "the test PKI needs a non-empty password");
  const auto pki = pki::make_test_pki(o.out, password);
  std::cout << "test PKI written to " << pki.dir << "\n"
            << "  trust anchors: " << pki.trust_dir << "\n";
  for (const pki::TestPkiFamily* f : {&pki.gost, &pki.rsa}) {
    std::cout << "  " << f->dir << ": root " << f->root << ", CA " << f->ca << ", CRL " << f->crl << "\n";
    for (const auto& [name, path] : f->keys) std::cout << "    " << name << ": " << path << "\n";
  }
  return 0;
}

}  // namespace

void add_pki_command(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<PkiOptions>();
  auto* cmd = app.add_subcommand("pki", "National PKI tools: inspect certificates and key stores, make a test PKI");
  cmd->require_subcommand(1);

  auto* make = cmd->add_subcommand("make-test-pki", "Write the project's own GOST 2015 and RSA test PKI");
  make->add_option("--out", options->out, "Directory to create")->required();
  auto* env =
      make->add_option("--password-env", options->password_env, "Environment variable with the PKCS#12 password");
  auto* file = make->add_option("--password-file", options->password_file, "File whose first line is the password");
  env->excludes(file);
  make->callback([options, &ctx] {
    try {
      ctx.exit_code = run_make_test_pki(*options);
    } catch (const Error& e) {
      std::cerr << "qujat pki make-test-pki: " << e.full_message() << "\n";
      ctx.exit_code = 2;
    }
  });

  auto* show = cmd->add_subcommand("show", "Print a certificate's or PKCS#12's holder, validity, usage and URLs");
  show->add_option("FILE", options->file, "Certificate (DER/PEM) or PKCS#12")->required();
  show->add_flag("--json", options->json, "One JSON object");
  auto* senv = show->add_option("--password-env", options->password_env, "Environment variable with the password");
  auto* sfile = show->add_option("--password-file", options->password_file, "File whose first line is the password");
  senv->excludes(sfile);
  show->callback([options, &ctx] {
    try {
      ctx.exit_code = run_show(*options);
    } catch (const Error& e) {
      std::cerr << "qujat pki show: " << e.full_message() << "\n";
      ctx.exit_code = 2;
    }
  });
}

}  // namespace qujat::cli
