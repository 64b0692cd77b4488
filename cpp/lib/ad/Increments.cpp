// Shadow increments of one reverse block, merged where they overlap (see Increments.h).
#include "ad/Increments.h"

namespace enzpy {
namespace {

/// An increment placed in memory: Base + Off bytes, Lanes elements of Elt.
struct Placed {
  unsigned Item;
  Value *Base;
  int64_t Off;
  uint64_t Bytes;
  Type *Elt;
  unsigned Lanes;
};

/// The widest span, in vector widths, merged into one sequence of chunk read-modify-writes.
constexpr unsigned MaxChunks = 4;

} // namespace

PointerDistance::PointerDistance(Function &F)
    : DT(F), LI(DT), TLII(F.getParent()->getTargetTriple()), TLI(TLII), AC(F), SE(F, TLI, AC, DT, LI) {}

std::optional<int64_t> PointerDistance::operator()(Value *A, Value *B) {
  if (A->getType() != B->getType() || !SE.isSCEVable(A->getType()))
    return std::nullopt;
  std::optional<APInt> D = SE.computeConstantDifference(SE.getSCEV(A), SE.getSCEV(B));
  if (!D || D->getSignificantBits() > 48)
    return std::nullopt;
  return D->getSExtValue();
}

void PendingIncrements::flush(IRBuilder<> &B, const DataLayout &DL, PointerDistance *Distance) {
  if (Items.empty())
    return;
  auto EmitOne = [&](const Item &It) {
    Value *Old = B.CreateAlignedLoad(It.Delta->getType(), It.Ptr, It.A);
    B.CreateAlignedStore(B.CreateFAdd(Old, It.Delta), It.Ptr, It.A);
  };

  // where each increment lands, grouped by base pointer (in order of first appearance) and sorted by offset
  std::vector<Placed> P;
  DenseMap<std::pair<Value *, Type *>, unsigned> GroupOf;
  std::vector<unsigned> Group;
  for (unsigned K = 0; K < Items.size(); ++K) {
    const Item &It = Items[K];
    Type *T = It.Delta->getType();
    Type *Elt = T->getScalarType();
    APInt Off(DL.getIndexTypeSizeInBits(It.Ptr->getType()), 0);
    Value *Base = It.Ptr->stripAndAccumulateConstantOffsets(DL, Off, /*AllowNonInbounds=*/true);
    if (Base->getType() != It.Ptr->getType() || Off.getSignificantBits() > 48 ||
        DL.getTypeStoreSize(Elt) != DL.getTypeAllocSize(Elt)) {
      Base = It.Ptr;
      Off = 0;
    }
    auto *VT = dyn_cast<FixedVectorType>(T);
    P.push_back({K, Base, Off.getSExtValue(), DL.getTypeStoreSize(T).getFixedValue(), Elt,
                 VT ? VT->getNumElements() : 1u});
    Group.push_back(GroupOf.try_emplace({Base, Elt}, GroupOf.size()).first->second);
  }
  // groups whose primal pointers lie at a constant distance (same lane and element type) become one, in the
  // coordinates of the earlier: its base plus offsets
  if (Distance) {
    std::vector<unsigned> FirstOf(GroupOf.size(), ~0u), MergedInto(GroupOf.size());
    for (unsigned K = 0; K < P.size(); ++K)
      if (FirstOf[Group[K]] == ~0u)
        FirstOf[Group[K]] = K;
    for (unsigned G = 0; G < FirstOf.size(); ++G) {
      MergedInto[G] = G;
      const Item &X = Items[FirstOf[G]];
      for (unsigned H = 0; H < G && X.Primal; ++H) {
        const Item &Y = Items[FirstOf[H]];
        if (MergedInto[H] != H || !Y.Primal || X.Lane != Y.Lane || P[FirstOf[G]].Elt != P[FirstOf[H]].Elt)
          continue;
        std::optional<int64_t> D = (*Distance)(X.Primal, Y.Primal);
        if (!D)
          continue;
        // shadow(X) - shadow(Y) == D: X's base sits at Y's base + Off(Y) + D - Off(X)
        int64_t Shift = P[FirstOf[H]].Off + *D - P[FirstOf[G]].Off;
        for (unsigned K = 0; K < P.size(); ++K)
          if (Group[K] == G) {
            Group[K] = H;
            P[K].Base = P[FirstOf[H]].Base;
            P[K].Off += Shift;
          }
        MergedInto[G] = H;
        break;
      }
    }
  }
  std::vector<unsigned> Idx(P.size());
  for (unsigned K = 0; K < Idx.size(); ++K)
    Idx[K] = K;
  llvm::stable_sort(Idx, [&](unsigned X, unsigned Y) {
    return std::tie(Group[X], P[X].Off) < std::tie(Group[Y], P[Y].Off);
  });

  // clusters: increments of one group whose windows overlap, directly or through others
  std::vector<SmallVector<unsigned, 8>> Clusters;
  int64_t End = 0;
  for (unsigned N = 0; N < Idx.size(); ++N) {
    const Placed &Q = P[Idx[N]];
    if (N == 0 || Group[Idx[N]] != Group[Idx[N - 1]] || Q.Off >= End)
      Clusters.emplace_back();
    End = Clusters.back().empty() ? Q.Off + int64_t(Q.Bytes) : std::max(End, Q.Off + int64_t(Q.Bytes));
    Clusters.back().push_back(Idx[N]);
  }
  // emitted in the order of their first increment (each member list in original order)
  for (auto &Cl : Clusters)
    llvm::sort(Cl);
  llvm::sort(Clusters, [](const auto &X, const auto &Y) { return X.front() < Y.front(); });

  for (const auto &Cl : Clusters) {
    if (Cl.size() == 1) {
      EmitOne(Items[P[Cl[0]].Item]);
      continue;
    }
    Type *Elt = P[Cl[0]].Elt;
    uint64_t EltBytes = DL.getTypeStoreSize(Elt);
    int64_t Lo = P[Cl[0]].Off, Hi = Lo;
    unsigned W = 1, First = Cl[0];
    for (unsigned M : Cl) {
      if (P[M].Off < Lo)
        First = M;
      Lo = std::min(Lo, P[M].Off);
      Hi = std::max(Hi, P[M].Off + int64_t(P[M].Bytes));
      W = std::max(W, P[M].Lanes);
    }
    uint64_t Span = uint64_t(Hi - Lo) / EltBytes;
    bool Mergeable = Span <= uint64_t(MaxChunks) * W;
    for (unsigned M : Cl)
      Mergeable &= (P[M].Off - Lo) % int64_t(EltBytes) == 0;
    if (!Mergeable) {
      for (unsigned M : Cl)
        EmitOne(Items[P[M].Item]);
      continue;
    }
    // one read-modify-write per chunk of W elements; every member adds its lanes that fall in the chunk
    for (uint64_t C0 = 0; C0 < Span; C0 += W) {
      unsigned Width = unsigned(std::min<uint64_t>(W, Span - C0));
      Type *ChunkTy = W == 1 ? Elt : static_cast<Type *>(FixedVectorType::get(Elt, Width));
      int64_t ChunkOff = Lo + int64_t(C0 * EltBytes);
      Value *Ptr = ChunkOff ? B.CreateConstGEP1_64(B.getInt8Ty(), P[First].Base, ChunkOff) : P[First].Base;
      Align A = commonAlignment(Items[P[First].Item].A, C0 * EltBytes);
      Value *Acc = B.CreateAlignedLoad(ChunkTy, Ptr, A);
      for (unsigned M : Cl) {
        const Placed &Q = P[M];
        uint64_t S = uint64_t(Q.Off - Lo) / EltBytes; // the member's first element in the span
        if (S >= C0 + Width || S + Q.Lanes <= C0)
          continue;
        Value *D = Items[Q.Item].Delta;
        if (W == 1) { // scalars at one address
          Acc = B.CreateFAdd(Acc, D);
          continue;
        }
        if (!D->getType()->isVectorTy())
          D = B.CreateInsertElement(PoisonValue::get(FixedVectorType::get(Elt, 1)), D, uint64_t(0));
        SmallVector<int, 16> Mask;
        bool Identity = Q.Lanes == Width;
        for (unsigned L = 0; L < Width; ++L) {
          uint64_t X = C0 + L;
          int Lane = X >= S && X < S + Q.Lanes ? int(X - S) : int(Q.Lanes); // else: a -0.0 lane
          Identity &= Lane == int(L);
          Mask.push_back(Lane);
        }
        if (!Identity)
          D = B.CreateShuffleVector(D, ConstantFP::get(D->getType(), -0.0), Mask);
        Acc = B.CreateFAdd(Acc, D);
      }
      B.CreateAlignedStore(Acc, Ptr, A);
    }
  }
  Items.clear();
}

} // namespace enzpy
