// The bad-input corpus (issue #7): audio, metadata, weights and studies a user
// may hand pelagos, each run through the real CLI in a child process. Every
// input is generated here; see support/bad_input.h for the contract checked.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

#include "data/xlsx_test_parts.h"
#include "model/pickle_builder.h"
#include "support/bad_input.h"
#include "util/atomic_file.h"

namespace pelagos::test {
namespace {
namespace fs = std::filesystem;

// ---- generators -----------------------------------------------------------

void put(std::string& s, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) s += static_cast<char>((v >> (8 * i)) & 0xff);
}

// A canonical 44-byte WAV header with any field values, however absurd.
std::string wav_header(uint16_t format_tag, uint16_t channels, uint32_t rate, uint16_t bits, uint32_t data_bytes) {
  std::string h = "RIFF";
  put(h, 36 + data_bytes, 4);
  h += "WAVEfmt ";
  put(h, 16, 4);
  put(h, format_tag, 2);
  put(h, channels, 2);
  put(h, rate, 4);
  put(h, rate * channels * (bits / 8u), 4);
  put(h, channels * (bits / 8u), 2);
  put(h, bits, 2);
  h += "data";
  put(h, data_bytes, 4);
  return h;
}

std::string pcm16(const std::vector<float>& x) {
  std::string s;
  for (float v : x) put(s, static_cast<uint16_t>(static_cast<int16_t>(std::lround(v * 32767))), 2);
  return s;
}

std::string float32(const std::vector<float>& x) {
  return std::string(reinterpret_cast<const char*>(x.data()), x.size() * sizeof(float));
}

// Adds `name` to train (species Alpha) holding `bytes`; returns inspect's arguments.
std::vector<std::string> inspect_with(Sandbox& b, const std::string& name, const std::string& bytes) {
  b.good_dataset({{name, "", "Alpha"}});
  write_file_atomic(b.clip_path("train", name), bytes);
  return {"inspect", "--data", b.root()};
}

// The same through libsndfile (formats we do not hand-write).
std::vector<std::string> inspect_with_audio(Sandbox& b, const std::string& name, const std::vector<float>& x,
                                            int channels, int format) {
  b.good_dataset({{name, "", "Alpha"}});
  write_audio(b.clip_path("train", name), x, 16000, channels, format);
  return {"inspect", "--data", b.root()};
}

// `features` on a good clip and `name` holding `bytes`.
std::vector<std::string> features_with(Sandbox& b, const std::string& name, const std::string& bytes) {
  write_audio(b.path("good.wav"), sine(440, 1.0, 16000), 16000);
  write_file_atomic(b.path(name), bytes);
  return {"features", b.path("good.wav"), b.path(name), "--out", b.path("out.npy")};
}

// The broken file is named and the rest of the dataset was still decoded.
std::vector<std::string> undecodable(const std::string& name, const std::string& why) {
  return {name, why, std::to_string(Sandbox::kGoodFiles) + " readable files"};
}

std::vector<std::string> readable_plus_one() { return {std::to_string(Sandbox::kGoodFiles + 1) + " readable files"}; }

// A train table whose one extra row is `row`; inspect on it.
std::vector<std::string> inspect_row(Sandbox& b, const std::vector<std::string>& row) {
  b.good_dataset({row});
  return {"inspect", "--data", b.root()};
}

std::vector<std::string> inspect_train_xlsx(Sandbox& b, const std::string& bytes) {
  b.good_dataset();
  write_file_atomic(b.root() + "/train_metadata.xlsx", bytes);
  return {"inspect", "--data", b.root()};
}

std::string sheet_row(int r, const std::string& a, const std::string& c) {
  const std::string n = std::to_string(r);
  return "<row r=\"" + n + "\"><c r=\"A" + n + "\" t=\"inlineStr\"><is><t>" + a + "</t></is></c><c r=\"C" + n +
         "\" t=\"inlineStr\"><is><t>" + c + "</t></is></c></row>";
}

XlsxParts train_parts() {
  return XlsxParts::with_sheet(sheet_row(1, "file_name", "species_name") + sheet_row(2, "a1.wav", "Alpha") +
                               sheet_row(3, "b1.wav", "Beta"));
}

std::string with_part(XlsxParts x, const std::string& part, const std::string& bytes) {
  x.parts[part] = bytes;
  TempDir d;
  x.write(d.file("x.xlsx"));
  return read_file(d.file("x.xlsx"));
}

const std::string kStudy = "sqlite:///study.db";  // relative to the sandbox (the child's folder)

std::vector<std::string> ask(const std::string& storage, const std::string& space = "{}") {
  return {"study", "ask", "--storage", storage, "--study-name", "s", "--search-space", space};
}

std::string float_space(const std::string& low, const std::string& high, bool log) {
  return R"({"lr": {"name": "FloatDistribution", "attributes": {"low": )" + low + ", \"high\": " + high +
         ", \"log\": " + (log ? "true" : "false") + R"(, "step": null}}})";
}

void exec_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << (err ? err : "?");
    sqlite3_free(err);
  }
  sqlite3_close(db);
}

// ---- the cases --------------------------------------------------------------

std::vector<BadInputCase> audio_cases() {
  const std::vector<float> tone = sine(440, 1.0, 16000);
  std::vector<BadInputCase> cases = {
      {"EmptyFile", [](Sandbox& b) { return inspect_with(b, "empty.wav", ""); },
       undecodable("empty.wav", "cannot read as audio")},
      {"HeaderOnly", [](Sandbox& b) { return inspect_with(b, "hdr.wav", wav_header(1, 1, 16000, 16, 32000)); },
       undecodable("hdr.wav", "truncated")},
      {"TruncatedData",
       [tone](Sandbox& b) { return inspect_with(b, "cut.wav", (wav_header(1, 1, 16000, 16, 32000) + pcm16(tone)).substr(0, 5000)); },
       undecodable("cut.wav", "truncated")},
      {"NotAudioAtAll", [](Sandbox& b) { return inspect_with(b, "notes.wav", "species,count\nfin whale,3\n"); },
       undecodable("notes.wav", "cannot read as audio")},
      {"ZeroChannels", [](Sandbox& b) { return inspect_with(b, "ch0.wav", wav_header(1, 0, 16000, 16, 3200) + std::string(3200, '\0')); },
       undecodable("ch0.wav", "0 channels")},
      {"AbsurdChannelCount",
       [](Sandbox& b) { return inspect_with(b, "ch.wav", wav_header(1, 9999, 16000, 16, 3200) + std::string(3200, '\0')); },
       undecodable("ch.wav", "9999 channels")},
      {"SampleRateZero", [](Sandbox& b) { return inspect_with(b, "r0.wav", wav_header(1, 1, 0, 16, 3200) + std::string(3200, '\0')); },
       undecodable("r0.wav", "sample rate 0 Hz")},
      {"SampleRate10MHz",
       [](Sandbox& b) { return inspect_with(b, "r10m.wav", wav_header(1, 1, 10000000, 16, 3200) + std::string(3200, '\0')); },
       undecodable("r10m.wav", "10000000 Hz is outside the supported")},
      {"UnsupportedCodec",
       [](Sandbox& b) { return inspect_with(b, "mp3.wav", wav_header(0x55, 1, 16000, 16, 3200) + std::string(3200, '\0')); },
       undecodable("mp3.wav", "MP3 audio (codec 0x0055)")},
      {"AFolderNamedLikeAudio",
       [](Sandbox& b) {
         b.good_dataset({{"dir.wav", "", "Alpha"}});
         fs::create_directory(b.clip_path("train", "dir.wav"));
         return std::vector<std::string>{"inspect", "--data", b.root()};
       },
       {"dir.wav", "is not a regular file"}},
      {"FeaturesOnMissingFile",
       [](Sandbox& b) {
         write_audio(b.path("good.wav"), sine(440, 1.0, 16000), 16000);
         return std::vector<std::string>{"features", b.path("good.wav"), b.path("gone.wav"), "--out", b.path("o.npy")};
       },
       {"gone.wav", "no such file"}, false, true,
       [](Sandbox& b, const ProcessResult&) { EXPECT_FALSE(fs::exists(b.path("o.npy"))); }},
      {"FeaturesOnTruncatedFile",
       [tone](Sandbox& b) { return features_with(b, "cut.wav", (wav_header(1, 1, 16000, 16, 32000) + pcm16(tone)).substr(0, 999)); },
       {"cut.wav", "truncated", "Copy or export the file again"}, false, true},
      // Odd but valid: decoded, with a warning where the user should look.
      {"NaNSamples",
       [tone](Sandbox& b) {
         std::vector<float> x = tone;
         for (size_t i = 0; i < x.size(); i += 97) x[i] = std::numeric_limits<float>::quiet_NaN();
         return features_with(b, "nan.wav", wav_header(3, 1, 16000, 32, uint32_t(x.size() * 4)) + float32(x));
       },
       {"nan.wav", "NaN/Inf sample(s) replaced by 0"}, true, true},
      {"InfSamples",
       [tone](Sandbox& b) {
         std::vector<float> x = tone;
         x[10] = std::numeric_limits<float>::infinity();
         x[11] = -std::numeric_limits<float>::infinity();
         return features_with(b, "inf.wav", wav_header(3, 1, 16000, 32, uint32_t(x.size() * 4)) + float32(x));
       },
       {"inf.wav", "2 NaN/Inf sample(s) replaced by 0"}, true, true},
      {"AllZero", [](Sandbox& b) { return inspect_with(b, "zero.wav", wav_header(1, 1, 16000, 16, 32000) + std::string(32000, '\0')); },
       {"zero.wav", "silent"}, true},
      {"DcOnly",
       [](Sandbox& b) { return inspect_with(b, "dc.wav", wav_header(1, 1, 16000, 16, 32000) + pcm16(std::vector<float>(16000, 0.3f))); },
       readable_plus_one(), true},
      {"OneSampleLong", [](Sandbox& b) { return inspect_with(b, "one.wav", wav_header(1, 1, 16000, 16, 2) + pcm16({0.5f})); },
       readable_plus_one(), true},
      {"WrongExtension",  // WAV bytes named .flac: decoded by content, as libsndfile does
       [tone](Sandbox& b) { return inspect_with(b, "really_wav.flac", wav_header(1, 1, 16000, 16, 32000) + pcm16(tone)); },
       readable_plus_one(), true},
      {"EightChannels",
       [tone](Sandbox& b) {
         std::vector<float> x;
         for (float v : tone)
           for (int c = 0; c < 8; ++c) x.push_back(v * float(c + 1) / 10);
         return inspect_with_audio(b, "ch8.wav", x, 8, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
       },
       readable_plus_one(), true},
      {"Pcm24", [tone](Sandbox& b) { return inspect_with_audio(b, "p24.wav", tone, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_24); },
       readable_plus_one(), true},
      {"Pcm8", [tone](Sandbox& b) { return inspect_with_audio(b, "u8.wav", tone, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_U8); },
       readable_plus_one(), true},
  };
  // Six hours claimed by the header, the data a sparse hole: inspect must stream it.
  BadInputCase six_hours{
      "SixHoursStreamed",
      [](Sandbox& b) {
        const uint32_t bytes = 6u * 3600u * 16000u * 2u;
        b.good_dataset({{"long.wav", "", "Alpha"}});
        const std::string path = b.clip_path("train", "long.wav");
        write_file_atomic(path, wav_header(1, 1, 16000, 16, bytes));
        EXPECT_EQ(truncate(path.c_str(), 44 + off_t(bytes)), 0);
        return std::vector<std::string>{"inspect", "--data", b.root()};
      },
      {"9 readable files", "21600.00"}, true, false,
      [](Sandbox&, const ProcessResult& r) {
        // 6 h of 16-bit mono is 660 MiB of samples (1.3 GiB as float): a loaded file would show here.
        EXPECT_LT(r.max_rss_kb, 300 * 1024) << "inspect held the recording in memory";
      },
      240};
  cases.push_back(six_hours);
  return cases;
}

std::vector<BadInputCase> metadata_cases() {
  return {
      {"MissingXlsx",
       [](Sandbox& b) {
         b.good_dataset();
         fs::remove(b.root() + "/validate_metadata.xlsx");
         return std::vector<std::string>{"inspect", "--data", b.root()};
       },
       {"validate_metadata.xlsx: metadata file not found"}},
      {"XlsxNotAZip", [](Sandbox& b) { return inspect_train_xlsx(b, "file_name,species_name\na1.wav,Alpha\n"); },
       {"train_metadata.xlsx", "not a zip"}},
      {"ZipWithoutWorksheet",
       [](Sandbox& b) { return inspect_train_xlsx(b, with_part(train_parts(), "xl/worksheets/sheet1.xml", "")); },
       {"train_metadata.xlsx", "xl/worksheets/sheet1.xml"}},
      {"MalformedXml",
       [](Sandbox& b) { return inspect_train_xlsx(b, with_part(train_parts(), "xl/worksheets/sheet1.xml", "<worksheet><sheetData><row>")); },
       {"train_metadata.xlsx", "xl/worksheets/sheet1.xml", "not well-formed"}},
      {"ExternalEntity",
       [](Sandbox& b) {
         XlsxParts x = train_parts();
         std::string& sheet = x.parts["xl/worksheets/sheet1.xml"];
         sheet = "<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" + sheet;
         return inspect_train_xlsx(b, with_part(x, "xl/worksheets/sheet1.xml", sheet));
       },
       {"train_metadata.xlsx", "DTD"}},
      {"BillionLaughs",
       [](Sandbox& b) {
         std::string dtd = "<!DOCTYPE sst [<!ENTITY l0 \"lol\">";
         for (int i = 1; i < 10; ++i)
           dtd += "<!ENTITY l" + std::to_string(i) + " \"" + std::string() +
                  [&] { std::string s; for (int k = 0; k < 10; ++k) s += "&l" + std::to_string(i - 1) + ";"; return s; }() + "\">";
         dtd += "]>";
         XlsxParts x = train_parts();
         x.parts["xl/worksheets/sheet1.xml"] = dtd + x.parts["xl/worksheets/sheet1.xml"];
         return inspect_train_xlsx(b, with_part(x, "xl/worksheets/sheet1.xml", x.parts["xl/worksheets/sheet1.xml"]));
       },
       {"train_metadata.xlsx", "DTD"}, false, false, nullptr, 20},
      {"ZipBombDeclaredSize",
       [](Sandbox& b) { return inspect_train_xlsx(b, train_parts().bytes_declaring("xl/worksheets/sheet1.xml", 3u << 30)); },
       {"train_metadata.xlsx", "declares"}, false, false,
       [](Sandbox&, const ProcessResult& r) { EXPECT_LT(r.max_rss_kb, 200 * 1024); }},
      {"ZipBombRatio",
       [](Sandbox& b) {
         XlsxParts x = train_parts();
         std::string& sheet = x.parts["xl/worksheets/sheet1.xml"];
         sheet.insert(sheet.find("<row"), std::string(8u << 20, ' '));  // ~1000:1 once deflated
         return inspect_train_xlsx(b, with_part(x, "xl/worksheets/sheet1.xml", sheet));
       },
       {"train_metadata.xlsx", "zip bomb"}},
      {"WrongHeaderNames",
       [](Sandbox& b) {
         b.good_dataset();
         b.metadata("train", {{"recording", "source", "species"}, {"a1.wav", "", "Alpha"}, {"b1.wav", "", "Beta"}});
         return std::vector<std::string>{"inspect", "--data", b.root(), "--species-column", "species_name"};
       },
       {"train_metadata.xlsx", "species_name"}},
      {"FileNamesWhereTheHeaderShouldBe",
       [](Sandbox& b) {
         b.good_dataset();
         b.metadata("train", {{"a1.wav", "", "Alpha"}, {"b1.wav", "", "Beta"}});
         return std::vector<std::string>{"inspect", "--data", b.root()};
       },
       {"train_metadata.xlsx", "header"}},
      {"FileNameWithDotDot", [](Sandbox& b) { return inspect_row(b, {"../test/test_a.wav", "", "Alpha"}); },
       {"train_metadata.xlsx", "row 6", "../test/test_a.wav"}},
      {"AbsoluteFileName", [](Sandbox& b) { return inspect_row(b, {"/etc/passwd", "", "Alpha"}); },
       {"train_metadata.xlsx", "row 6", "absolute"}},
      {"SymlinkEscapingTheSplit",
       [](Sandbox& b) {
         write_audio(b.path("outside.wav"), sine(440, 0.5, 16000), 16000);
         b.good_dataset({{"link.wav", "", "Alpha"}});
         fs::create_symlink(b.path("outside.wav"), b.clip_path("train", "link.wav"));
         return std::vector<std::string>{"inspect", "--data", b.root()};
       },
       {"train_metadata.xlsx", "row 6", "link.wav", "outside"}},
      {"MissingAudioFile", [](Sandbox& b) { return inspect_row(b, {"never_recorded.wav", "", "Alpha"}); },
       {"train_metadata.xlsx", "row 6", "never_recorded.wav"}},
      {"DuplicateRows", [](Sandbox& b) { return inspect_row(b, {"a1.wav", "", "Alpha"}); },
       {"train_metadata.xlsx", "row 6", "a1.wav"}},
      {"EmptySpecies",
       [](Sandbox& b) {
         b.clip("train", "c.wav");
         return inspect_row(b, {"c.wav", "", ""});
       },
       {"train_metadata.xlsx", "row 6", "species_name"}},
      {"SpeciesOnlyInTest",
       [](Sandbox& b) {
         b.good_dataset();
         b.clip("test", "g.wav");
         b.metadata("test", {{"file_name", "source", "species_name"}, {"test_a.wav", "", "Alpha"}, {"g.wav", "", "Gamma"}});
         return std::vector<std::string>{"inspect", "--data", b.root()};
       },
       {"test_metadata.xlsx", "Gamma", "--drop-unknown-species"}},
      {"NonUtf8Name",
       [](Sandbox& b) {
         XlsxParts x = train_parts();
         x.parts["xl/worksheets/sheet1.xml"] = x.parts["xl/worksheets/sheet1.xml"];
         std::string& s = x.parts["xl/worksheets/sheet1.xml"];
         s.replace(s.find("a1.wav"), 6, "a\xe9.wav");  // Latin-1 'é'
         return inspect_train_xlsx(b, with_part(x, "xl/worksheets/sheet1.xml", s));
       },
       {"train_metadata.xlsx"}},
      {"NonUtf8CsvName",
       [](Sandbox& b) {
         b.good_dataset();
         for (const char* split : {"train", "validate", "test"})
           write_file_atomic(b.root() + "/" + split + ".csv", std::string("file_name,source,species_name\n") +
                                                                  (std::string(split) == "train" ? "a1.wav,,Alpha\nb\xe9.wav,,Beta\n" : ""));
         return std::vector<std::string>{"inspect", "--data", b.root(), "--metadata-pattern", "{split}.csv"};
       },
       {"train.csv", "line 3", "UTF-8"}},
      {"UnterminatedCsvQuote",
       [](Sandbox& b) {
         b.good_dataset();
         for (const char* split : {"train", "validate", "test"})
           write_file_atomic(b.root() + "/" + split + ".csv", "file_name,source,species_name\na1.wav,\"open,Alpha\n");
         return std::vector<std::string>{"inspect", "--data", b.root(), "--metadata-pattern", "{split}.csv"};
       },
       {"train.csv", "quote"}},
      {"FormulaInsteadOfValue",
       [](Sandbox& b) {
         XlsxParts x = train_parts();
         std::string& s = x.parts["xl/worksheets/sheet1.xml"];
         s.replace(s.find("<c r=\"C3\""), std::string("<c r=\"C3\" t=\"inlineStr\"><is><t>Beta</t></is></c>").size(),
                   "<c r=\"C3\"><f>CONCAT(\"Be\",\"ta\")</f></c>");
         return inspect_train_xlsx(b, with_part(x, "xl/worksheets/sheet1.xml", s));
       },
       {"train_metadata.xlsx", "C3", "formula"}},
  };
}

std::vector<BadInputCase> study_cases() {
  return {
      {"StorageInMissingFolder", [](Sandbox&) { return ask("sqlite:///no/such/folder/study.db"); },
       {"no/such/folder/study.db"}},
      {"StorageOnReadOnlyFile",
       [](Sandbox& b) {
         // root ignores permission bits; /proc refuses everyone.
         (void)b;
         return ask("sqlite:////proc/self/study.db");
       },
       {"/proc/self/study.db"}},
      {"DatabaseLockedLong",
       [](Sandbox& b) {
         static sqlite3* holder = nullptr;  // held for the child's whole run; released by the next case's setup
         if (holder) sqlite3_close(holder), holder = nullptr;
         const std::string path = b.path("study.db");
         exec_sql(path, "CREATE TABLE lockme(x);");
         sqlite3_open(path.c_str(), &holder);
         sqlite3_exec(holder, "BEGIN EXCLUSIVE; INSERT INTO lockme VALUES (1);", nullptr, nullptr, nullptr);
         return ask(kStudy);
       },
       {"study.db", "locked", "retry"}},
      {"UnknownOptunaSchema",
       [](Sandbox& b) {
         exec_sql(b.path("study.db"),
                  "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);"
                  "INSERT INTO alembic_version VALUES ('v9.9.0.z');"
                  "CREATE TABLE version_info (version_info_id INTEGER PRIMARY KEY, schema_version INTEGER, "
                  "library_version VARCHAR(256));"
                  "INSERT INTO version_info VALUES (1, 99, '9.9.0');"
                  "CREATE TABLE studies (study_id INTEGER PRIMARY KEY, study_name VARCHAR(512));");
         return ask(kStudy);
       },
       {"study.db", "v9.9.0.z"}},
      {"NotADatabase",
       [](Sandbox& b) {
         write_file_atomic(b.path("study.db"), std::string(4096, 'x'));
         return ask(kStudy);
       },
       {"study.db"}},
      {"InvertedRange", [](Sandbox&) { return ask(kStudy, float_space("0.1", "0.001", false)); }, {"lr", "low"}},
      {"LogRangeIncludingZero", [](Sandbox&) { return ask(kStudy, float_space("0", "0.1", true)); }, {"lr", "log"}},
      {"UnknownDistribution",
       [](Sandbox&) { return ask(kStudy, R"({"lr": {"name": "GaussianDistribution", "attributes": {}}})"); },
       {"lr", "GaussianDistribution"}},
      {"SpaceNotJson", [](Sandbox&) { return ask(kStudy, R"({"lr": {"name": )"); }, {"--search-space", "JSON"}},
      {"TuneSpaceFileInverted",
       [](Sandbox& b) {
         b.good_dataset();
         write_file_atomic(b.path("space.json"), float_space("1e-2", "1e-5", true));
         return std::vector<std::string>{"tune", "--data", b.root(), "--space", b.path("space.json"), "--init", "random"};
       },
       {"space.json", "lr"}},
      {"TunePrunerOptionMisspelt",
       [](Sandbox& b) {
         b.good_dataset();
         return std::vector<std::string>{"tune", "--data", b.root(), "--pruner", "median", "--pruner-option",
                                         "warmup_steps=2", "--init", "random"};
       },
       {"warmup_steps", "n_warmup_steps"}},
      {"TuneConflictingSpace",
       [](Sandbox& b) {
         b.good_dataset();
         write_file_atomic(b.path("a.json"), float_space("1e-5", "1e-2", true));
         write_file_atomic(b.path("b.json"), float_space("1e-4", "1e-1", true));
         write_file_atomic(b.path("p.json"), R"({"epochs": 1})");
         // The first run records its space (and finishes one trial); the second must refuse another one.
         const ProcessResult first = run_process(
             {pelagos_binary(), "tune", "--data", b.root(), "--space", b.path("a.json"), "--storage",
              "sqlite:///" + b.path("s.db"), "--study-name", "s", "--trials", "1", "--init", "random",
              "--trainable-layers", "0", "--params", b.path("p.json"), "--out", b.path("m.pelagos"), "--no-cache", "-q"},
             300, {"GLOG_minloglevel=2"});
         EXPECT_EQ(first.exit_code, 0) << first.describe();
         return std::vector<std::string>{"tune", "--data", b.root(), "--space", b.path("b.json"), "--storage",
                                         "sqlite:///" + b.path("s.db"), "--study-name", "s", "--trials", "2",
                                         "--init", "random", "--trainable-layers", "0", "--no-cache",
                                         "--params", b.path("p.json")};
       },
       {"study \"s\" was started with a different search space", "pick a new --study-name"}, false, true, nullptr, 300},
  };
}

// Weight files from the internet: read by the torch-free .pth reader, never executed.
std::string pth_with_first_key(const std::vector<int64_t>& shape, const std::string& type, int itemsize) {
  int64_t numel = 1;
  for (int64_t d : shape) numel *= d;
  std::vector<int64_t> stride(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;) stride[i - 1] = stride[i] * shape[i];
  TempDir d;
  write_zip_pth(d.file("w.pth"), {{"features.0.weight", "0", shape, stride}},
                {{"0", type, numel, std::string(size_t(numel * itemsize), '\0')}});
  return read_file(d.file("w.pth"));
}

std::vector<std::string> weights_info(Sandbox& b, const std::string& bytes) {
  write_file_atomic(b.path("w.pth"), bytes);
  return {"weights", "info", b.path("w.pth")};
}

std::vector<BadInputCase> weights_cases() {
  return {
      {"TruncatedPth",
       [](Sandbox& b) { return weights_info(b, pth_with_first_key({64, 1, 3, 3}, "FloatStorage", 4).substr(0, 300)); },
       {"w.pth", "NOT usable"}, false, true},
      {"PthWrongShape", [](Sandbox& b) { return weights_info(b, pth_with_first_key({3, 3}, "FloatStorage", 4)); },
       {"w.pth", "'features.0.weight' has shape (3, 3), expected (64, 1, 3, 3)"}, false, true},
      {"PthWrongDtype", [](Sandbox& b) { return weights_info(b, pth_with_first_key({64, 1, 3, 3}, "LongStorage", 8)); },
       {"w.pth", "'features.0.weight' holds int64 values, expected float32"}, false, true},
      {"PickleCallsOsSystem",
       [](Sandbox& b) {
         const std::string pickle =
             PickleBuilder().global("os", "system").mark().str("touch " + b.path("pwned")).tuple().op('R').finish();
         TempDir d;
         write_zip(d.file("evil.pth"), {{"evil/data.pkl", pickle}});
         return weights_info(b, read_file(d.file("evil.pth")));
       },
       {"w.pth", "'os.system'", "refusing"}, false, true,
       [](Sandbox& b, const ProcessResult&) { EXPECT_FALSE(fs::exists(b.path("pwned"))) << "the pickle ran!"; }},
      {"PthNotAPickle", [](Sandbox& b) { return weights_info(b, "<html>404 Not Found</html>"); }, {"w.pth"}, false, true},
      {"FetchedWeightsSha256Mismatch",
       [](Sandbox& b) {
         write_file_atomic(b.path("impostor.pth"), "not the VGGish weights");
         return std::vector<std::string>{"weights", "fetch", "--url", file_url(b.path("impostor.pth"))};
       },
       {"sha256"}, false, false,
       [](Sandbox& b, const ProcessResult&) {
         EXPECT_FALSE(fs::exists(b.path("torch/hub/checkpoints/vggish-10086976.pth"))) << "kept a bad download";
       }},
  };
}

class BadInputs : public ::testing::TestWithParam<BadInputCase> {};
TEST_P(BadInputs, ClearErrorNoCrashNoHang) { run_bad_input_case(GetParam()); }

std::string case_name(const ::testing::TestParamInfo<BadInputCase>& info) { return info.param.name; }
INSTANTIATE_TEST_SUITE_P(Audio, BadInputs, ::testing::ValuesIn(audio_cases()), case_name);
INSTANTIATE_TEST_SUITE_P(Metadata, BadInputs, ::testing::ValuesIn(metadata_cases()), case_name);
INSTANTIATE_TEST_SUITE_P(Weights, BadInputs, ::testing::ValuesIn(weights_cases()), case_name);
INSTANTIATE_TEST_SUITE_P(Studies, BadInputs, ::testing::ValuesIn(study_cases()), case_name);

}  // namespace
}  // namespace pelagos::test
