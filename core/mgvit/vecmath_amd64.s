#include "textflag.h"

// AVX2/FMA kernels of vecmath.go: the float32 GELU, its gradient and a
// softmax (with e^x inside), 8 lanes at a time, with the same formulas and constants as the
// portable Go versions (which round each multiply-add separately).

// CONST8 defines a 32-byte read-only vector of eight copies of a 32-bit
// pattern, so that a constant can be a memory operand.
#define CONST8(sym, v) \
	DATA sym+0(SB)/4, v; \
	DATA sym+4(SB)/4, v; \
	DATA sym+8(SB)/4, v; \
	DATA sym+12(SB)/4, v; \
	DATA sym+16(SB)/4, v; \
	DATA sym+20(SB)/4, v; \
	DATA sym+24(SB)/4, v; \
	DATA sym+28(SB)/4, v; \
	GLOBL sym(SB), RODATA|NOPTR, $32

// clears the sign bit
CONST8(vmabsmask<>, $0x7fffffff)
CONST8(vmone<>, $0x3f800000)
CONST8(vmhalf<>, $0x3f000000)
// 1/√2
CONST8(vminvsqrt2<>, $0x3f3504f3)
// 1/√(2π)
CONST8(vminvsqrt2pi<>, $0x3ecc422a)
// A&S 7.1.26: p
CONST8(vmasp<>, $0x3ea7ba05)
// a1
CONST8(vmasa1<>, $0x3e827906)
// a2
CONST8(vmasa2<>, $0xbe91a98e)
// a3
CONST8(vmasa3<>, $0x3fb5f0e3)
// a4
CONST8(vmasa4<>, $0xbfba00e3)
// a5
CONST8(vmasa5<>, $0x3f87dc22)
// vmExpLo: e^x is flushed to 0 below
CONST8(vmexplo<>, $0xc2ae0000)
CONST8(vmlog2e<>, $0x3fb8aa3b)
// vmLn2Hi
CONST8(vmln2hi<>, $0x3f318000)
// vmLn2Lo
CONST8(vmln2lo<>, $0xb95e8083)
// Taylor coefficients 1/k! of e^r
CONST8(vmc2<>, $0x3f000000)
CONST8(vmc3<>, $0x3e2aaaab)
CONST8(vmc4<>, $0x3d2aaaab)
CONST8(vmc5<>, $0x3c088889)
CONST8(vmc6<>, $0x3ab60b61)
CONST8(vmc7<>, $0x39500d01)
// float32 exponent bias (integer lanes)
CONST8(vmbias127<>, $0x0000007f)
// -Inf
CONST8(vmneginf<>, $0xff800000)

// EXPPOLY sets P = e^U for lanes of U already clamped to >= vmExpLo:
// U = n·ln2 + r (n in T, r left in U), the degree-7 Taylor polynomial of
// e^r, scaled by 2^n built in the exponent bits. Clobbers U and T.
#define EXPPOLY(U, T, P) \
	VMULPS       vmlog2e<>(SB), U, T; \
	VROUNDPS     $0, T, T; \
	VFNMADD231PS vmln2hi<>(SB), T, U; \
	VFNMADD231PS vmln2lo<>(SB), T, U; \
	VMOVUPS      vmc7<>(SB), P; \
	VFMADD213PS  vmc6<>(SB), U, P; \
	VFMADD213PS  vmc5<>(SB), U, P; \
	VFMADD213PS  vmc4<>(SB), U, P; \
	VFMADD213PS  vmc3<>(SB), U, P; \
	VFMADD213PS  vmc2<>(SB), U, P; \
	VFMADD213PS  vmone<>(SB), U, P; \
	VFMADD213PS  vmone<>(SB), U, P; \
	VCVTPS2DQ    T, T; \
	VPADDD       vmbias127<>(SB), T, T; \
	VPSLLD       $23, T, T; \
	VMULPS       T, P, P

// EXPMASKED sets P = e^U, and 0 where U < vmExpLo. Clobbers U, T and M.
#define EXPMASKED(U, T, M, P) \
	VCMPPS $0x1D, vmexplo<>(SB), U, M; \
	VMAXPS vmexplo<>(SB), U, U; \
	EXPPOLY(U, T, P); \
	VANDPS M, P, P

// NORMALCDF sets Y12 = Φ(Y0) and Y7 = e^{-Y0²/2}: with z = |x|/√2 and
// t = 1/(1+p·z), the tail Φ(-|x|) = t·P(t)·e^{-z²}/2 (A&S 7.1.26), and
// Φ(x) = 1 - tail for x >= 0. Clobbers Y1-Y11.
#define NORMALCDF \
	VANDPS       vmabsmask<>(SB), Y0, Y1; \
	VMULPS       vminvsqrt2<>(SB), Y1, Y1; \
	VMOVUPS      vmone<>(SB), Y2; \
	VFMADD231PS  vmasp<>(SB), Y1, Y2; \
	VMOVUPS      vmone<>(SB), Y3; \
	VDIVPS       Y2, Y3, Y3; \
	VMOVUPS      vmasa5<>(SB), Y4; \
	VFMADD213PS  vmasa4<>(SB), Y3, Y4; \
	VFMADD213PS  vmasa3<>(SB), Y3, Y4; \
	VFMADD213PS  vmasa2<>(SB), Y3, Y4; \
	VFMADD213PS  vmasa1<>(SB), Y3, Y4; \
	VMULPS       Y3, Y4, Y4; \
	VXORPS       Y5, Y5, Y5; \
	VFNMADD231PS Y1, Y1, Y5; \
	EXPMASKED(Y5, Y8, Y6, Y7); \
	VMULPS       Y7, Y4, Y4; \
	VMULPS       vmhalf<>(SB), Y4, Y4; \
	VMOVUPS      vmone<>(SB), Y9; \
	VSUBPS       Y4, Y9, Y9; \
	VXORPS       Y10, Y10, Y10; \
	VCMPPS       $0x1D, Y10, Y0, Y11; \
	VBLENDVPS    Y11, Y9, Y4, Y12

// HREDUCE folds the 8 lanes of Y with OP (VMAXPS, VADDPS) in a fixed order
// and broadcasts the result to every lane of Y; X is Y's low half, XT a
// scratch register.
#define HREDUCE(OP, Y, X, XT) \
	VEXTRACTF128 $1, Y, XT; \
	OP           XT, X, X; \
	VPERMILPS    $0x4E, X, XT; \
	OP           XT, X, X; \
	VPERMILPS    $0xB1, X, XT; \
	OP           XT, X, X; \
	VBROADCASTSS X, Y

// func geluForwardAVX2(x, y *float32, n int)
// y = x·Φ(x) for n (a multiple of 8) values.
TEXT ·geluForwardAVX2(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), DI
	MOVQ n+16(FP), CX
	SHRQ $3, CX
	JZ   gfdone

gfloop:
	VMOVUPS (SI), Y0
	NORMALCDF
	VMULPS  Y12, Y0, Y12
	VMOVUPS Y12, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     gfloop

gfdone:
	VZEROUPPER
	RET

// func geluBackwardAVX2(x, dy, dx *float32, n int)
// dx = dy·(Φ(x) + x·φ(x)) for n (a multiple of 8) values.
TEXT ·geluBackwardAVX2(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), SI
	MOVQ dy+8(FP), DX
	MOVQ dx+16(FP), DI
	MOVQ n+24(FP), CX
	SHRQ $3, CX
	JZ   gbdone

gbloop:
	VMOVUPS     (SI), Y0
	NORMALCDF
	VMULPS      vminvsqrt2pi<>(SB), Y7, Y13
	VFMADD231PS Y13, Y0, Y12
	VMULPS      (DX), Y12, Y12
	VMOVUPS     Y12, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DX
	ADDQ        $32, DI
	DECQ        CX
	JNZ         gbloop

gbdone:
	VZEROUPPER
	RET

// func softmaxAVX2(row, bias *float32, n int, scale float32)
// row = softmax(row·scale + bias) for n (a multiple of 8, at least 8)
// values: lane-wise maxima and sums, reduced in a fixed order.
TEXT ·softmaxAVX2(SB), NOSPLIT, $0-28
	MOVQ         row+0(FP), SI
	MOVQ         bias+8(FP), DX
	MOVQ         n+16(FP), CX
	SHRQ         $3, CX
	VBROADCASTSS scale+24(FP), Y15
	VMOVUPS      vmneginf<>(SB), Y14

	// row = row·scale + bias; Y14 = running lane maxima
	MOVQ SI, DI
	MOVQ CX, BX

smmax:
	VMOVUPS     (DI), Y0
	VFMADD213PS (DX), Y15, Y0
	VMOVUPS     Y0, (DI)
	VMAXPS      Y0, Y14, Y14
	ADDQ        $32, DI
	ADDQ        $32, DX
	DECQ        BX
	JNZ         smmax
	HREDUCE(VMAXPS, Y14, X14, X13)

	// row = e^(row - max); Y13 = running lane sums
	VXORPS Y13, Y13, Y13
	MOVQ   SI, DI
	MOVQ   CX, BX

smexp:
	VMOVUPS (DI), Y5
	VSUBPS  Y14, Y5, Y5
	EXPMASKED(Y5, Y8, Y6, Y7)
	VMOVUPS Y7, (DI)
	VADDPS  Y7, Y13, Y13
	ADDQ    $32, DI
	DECQ    BX
	JNZ     smexp
	HREDUCE(VADDPS, Y13, X13, X12)

	// row /= sum
	VMOVUPS vmone<>(SB), Y12
	VDIVPS  Y13, Y12, Y12

smnorm:
	VMULPS  (SI), Y12, Y0
	VMOVUPS Y0, (SI)
	ADDQ    $32, SI
	DECQ    CX
	JNZ     smnorm
	VZEROUPPER
	RET
