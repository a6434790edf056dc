//===- TargetDescription.cpp - the CPU code is generated for --------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/CPU/TargetDescription.h"

#include "kiln/Runtime/Npy.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Threading.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"

#include <functional>

#ifdef __linux__
#include <unistd.h>
#endif

using namespace kiln;

CPUTargetDescription
CPUTargetDescription::fromAttr(codegen::CPUTargetAttr attr) {
  CPUTargetDescription d;
  d.triple = attr.getTriple().str();
  d.cpu = attr.getCpu().str();
  d.features = attr.getFeatures().str();
  d.name = d.cpu;
  d.vectorBits = attr.getVectorBits();
  d.vectorRegisters = attr.getVectorRegisters();
  d.l1DataBytes = attr.getL1Bytes();
  d.l2Bytes = attr.getL2Bytes();
  d.cores = attr.getCores();
  d.threads = attr.getThreads();
  d.memoryBytes = attr.getMemoryBytes();
  return d;
}

CPUTargetDescription
CPUTargetDescription::fromFeatures(llvm::StringRef arch,
                                   const llvm::StringMap<bool> &features) {
  auto has = [&](llvm::StringRef f) { return features.lookup(f); };
  CPUTargetDescription d;
  auto set = [&](const char *name, unsigned bits, unsigned registers) {
    d.name = name;
    d.vectorBits = bits;
    d.vectorRegisters = registers;
  };
  if (arch == "x86_64") {
    if (has("avx512f"))
      set("x86-64-avx512", 512, 32);
    else if (has("avx2") || has("avx"))
      set("x86-64-avx2", 256, 16);
    else
      set("x86-64", 128, 16);
  } else if (arch == "aarch64") {
    // NEON: 32 registers of 128 bits (SVE's width is only known at run time).
    set("aarch64", 128, 32);
  } else if (arch == "riscv64") {
    // Without a known VLEN, plan for the V extension's minimum of 128 bits.
    set("riscv64", has("v") ? 128u : 64u, 32);
  }
  return d;
}

CPUTargetDescription CPUTargetDescription::host() {
  llvm::Triple triple(llvm::sys::getProcessTriple());
  llvm::StringMap<bool> features;
  llvm::SubtargetFeatures featureList;
  for (const auto &entry : llvm::sys::getHostCPUFeatures()) {
    features[entry.getKey()] = entry.getValue();
    featureList.AddFeature(entry.getKey(), entry.getValue());
  }
  CPUTargetDescription d = fromFeatures(triple.getArchName(), features);
  d.triple = triple.str();
  d.cpu = llvm::sys::getHostCPUName().str();
  d.features = featureList.getString();
#if defined(__linux__) && defined(_SC_LEVEL2_CACHE_SIZE)
  // glibc reads these from the CPU (0 or -1 when it cannot tell).
  if (long l1 = sysconf(_SC_LEVEL1_DCACHE_SIZE); l1 > 0)
    d.l1DataBytes = l1;
  if (long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE); l2 > 0)
    d.l2Bytes = l2;
#endif
  // The CPUs this process may use (its affinity mask), not all the host's.
  d.cores = llvm::hardware_concurrency().compute_thread_count();
  d.memoryBytes = int64_t(runtime::physicalMemoryBytes());
  return d;
}

std::string CPUTargetDescription::tuningKey() const {
  llvm::Triple parsed(triple);
  return (parsed.getArchName() + " cpu=" + cpu + " vector=" +
          llvm::Twine(vectorBits) + "x" + llvm::Twine(vectorRegisters) +
          " l1=" + llvm::Twine(l1DataBytes) + " l2=" + llvm::Twine(l2Bytes) +
          (threads ? " threads=" + llvm::Twine(threads) : llvm::Twine()))
      .str();
}

llvm::Error kiln::applyTargetDescriptionJSON(llvm::StringRef text,
                                             llvm::StringRef path,
                                             CPUTargetDescription &d) {
  auto error = [&](const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   path + ": " + message);
  };
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  if (!parsed)
    return error("not JSON: " + llvm::toString(parsed.takeError()));
  const llvm::json::Object *object = parsed->getAsObject();
  if (!object)
    return error("expected a JSON object of target facts");
  // Each fact, its field and its smallest value (the attribute's verifier
  // checks the rest).
  struct Fact {
    const char *key;
    int64_t minimum;
    std::function<void(int64_t)> set;
  };
  Fact facts[] = {
      {"vector_bits", 64, [&](int64_t v) { d.vectorBits = unsigned(v); }},
      {"vector_registers", 1,
       [&](int64_t v) { d.vectorRegisters = unsigned(v); }},
      {"l1_bytes", 1024, [&](int64_t v) { d.l1DataBytes = v; }},
      {"l2_bytes", 1024, [&](int64_t v) { d.l2Bytes = v; }},
      {"cores", 0, [&](int64_t v) { d.cores = unsigned(v); }},
      {"memory_bytes", 0, [&](int64_t v) { d.memoryBytes = v; }},
  };
  for (const auto &[key, value] : *object) {
    Fact *fact =
        llvm::find_if(facts, [&](const Fact &f) { return key == f.key; });
    if (fact == std::end(facts))
      return error("unknown key '" + key.str() +
                   "'; the facts are vector_bits, vector_registers, "
                   "l1_bytes, l2_bytes, cores and memory_bytes");
    std::optional<int64_t> number = value.getAsInteger();
    // Sizes up to a petabyte, counts up to 65536 (the attribute's own
    // limits are checked when it is built).
    int64_t maximum = llvm::StringRef(fact->key).ends_with("_bytes")
                          ? (int64_t(1) << 50)
                          : 65536;
    if (!number || *number < fact->minimum || *number > maximum)
      return error("'" + key.str() + "' must be an integer from " +
                   llvm::Twine(fact->minimum) + " to " + llvm::Twine(maximum));
    if (key == "vector_bits" && !llvm::isPowerOf2_64(*number))
      return error("'vector_bits' must be a power of two, got " +
                   llvm::Twine(*number));
    fact->set(*number);
  }
  return llvm::Error::success();
}
