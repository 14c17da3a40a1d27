#include "textflag.h"

// func sgemmKernel6x16(k int, a, b, c *float32, ldc int, load bool)
//
// Accumulators: row i of the 6x16 tile lives in Y(2i) (columns 0-7) and
// Y(2i+1) (columns 8-15). Each inner step loads 16 packed B values, then
// broadcasts the 6 packed A values one at a time and fuses multiply-adds.
TEXT ·sgemmKernel6x16(SB), NOSPLIT, $0-41
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8
	MOVBLZX load+40(FP), AX

	LEAQ (DX)(R8*1), R13  // row 1
	LEAQ (DX)(R8*2), R9   // row 2
	LEAQ (R9)(R8*1), R10  // row 3
	LEAQ (R9)(R8*2), R11  // row 4
	LEAQ (R11)(R8*1), R12 // row 5

	TESTQ AX, AX
	JZ    zero
	VMOVUPS (DX), Y0
	VMOVUPS 32(DX), Y1
	VMOVUPS (R13), Y2
	VMOVUPS 32(R13), Y3
	VMOVUPS (R9), Y4
	VMOVUPS 32(R9), Y5
	VMOVUPS (R10), Y6
	VMOVUPS 32(R10), Y7
	VMOVUPS (R11), Y8
	VMOVUPS 32(R11), Y9
	VMOVUPS (R12), Y10
	VMOVUPS 32(R12), Y11
	JMP     check

zero:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

check:
	TESTQ CX, CX
	JZ    store

loop:
	VMOVUPS      (DI), Y12
	VMOVUPS      32(DI), Y13
	VBROADCASTSS (SI), Y14
	VFMADD231PS  Y12, Y14, Y0
	VFMADD231PS  Y13, Y14, Y1
	VBROADCASTSS 4(SI), Y15
	VFMADD231PS  Y12, Y15, Y2
	VFMADD231PS  Y13, Y15, Y3
	VBROADCASTSS 8(SI), Y14
	VFMADD231PS  Y12, Y14, Y4
	VFMADD231PS  Y13, Y14, Y5
	VBROADCASTSS 12(SI), Y15
	VFMADD231PS  Y12, Y15, Y6
	VFMADD231PS  Y13, Y15, Y7
	VBROADCASTSS 16(SI), Y14
	VFMADD231PS  Y12, Y14, Y8
	VFMADD231PS  Y13, Y14, Y9
	VBROADCASTSS 20(SI), Y15
	VFMADD231PS  Y12, Y15, Y10
	VFMADD231PS  Y13, Y15, Y11
	ADDQ         $24, SI
	ADDQ         $64, DI
	DECQ         CX
	JNZ          loop

store:
	VMOVUPS Y0, (DX)
	VMOVUPS Y1, 32(DX)
	VMOVUPS Y2, (R13)
	VMOVUPS Y3, 32(R13)
	VMOVUPS Y4, (R9)
	VMOVUPS Y5, 32(R9)
	VMOVUPS Y6, (R10)
	VMOVUPS Y7, 32(R10)
	VMOVUPS Y8, (R11)
	VMOVUPS Y9, 32(R11)
	VMOVUPS Y10, (R12)
	VMOVUPS Y11, 32(R12)
	VZEROUPPER
	RET

// func transpose8x8(dst *float32, ldd int, src *float32, lds int)
//
// dst[c*ldd+r] = src[r*lds+c] for r, c < 8: eight rows of eight floats
// loaded, transposed in registers (unpack, shuffle, swap 128-bit halves)
// and stored as eight rows.
TEXT ·transpose8x8(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ ldd+8(FP), DX
	MOVQ src+16(FP), SI
	MOVQ lds+24(FP), CX
	SHLQ $2, DX
	SHLQ $2, CX

	VMOVUPS (SI), Y0
	ADDQ    CX, SI
	VMOVUPS (SI), Y1
	ADDQ    CX, SI
	VMOVUPS (SI), Y2
	ADDQ    CX, SI
	VMOVUPS (SI), Y3
	ADDQ    CX, SI
	VMOVUPS (SI), Y4
	ADDQ    CX, SI
	VMOVUPS (SI), Y5
	ADDQ    CX, SI
	VMOVUPS (SI), Y6
	ADDQ    CX, SI
	VMOVUPS (SI), Y7

	VUNPCKLPS Y1, Y0, Y8
	VUNPCKHPS Y1, Y0, Y9
	VUNPCKLPS Y3, Y2, Y10
	VUNPCKHPS Y3, Y2, Y11
	VUNPCKLPS Y5, Y4, Y12
	VUNPCKHPS Y5, Y4, Y13
	VUNPCKLPS Y7, Y6, Y14
	VUNPCKHPS Y7, Y6, Y15

	VSHUFPS $0x44, Y10, Y8, Y0
	VSHUFPS $0xEE, Y10, Y8, Y1
	VSHUFPS $0x44, Y11, Y9, Y2
	VSHUFPS $0xEE, Y11, Y9, Y3
	VSHUFPS $0x44, Y14, Y12, Y4
	VSHUFPS $0xEE, Y14, Y12, Y5
	VSHUFPS $0x44, Y15, Y13, Y6
	VSHUFPS $0xEE, Y15, Y13, Y7

	VPERM2F128 $0x20, Y4, Y0, Y8
	VPERM2F128 $0x20, Y5, Y1, Y9
	VPERM2F128 $0x20, Y6, Y2, Y10
	VPERM2F128 $0x20, Y7, Y3, Y11
	VPERM2F128 $0x31, Y4, Y0, Y12
	VPERM2F128 $0x31, Y5, Y1, Y13
	VPERM2F128 $0x31, Y6, Y2, Y14
	VPERM2F128 $0x31, Y7, Y3, Y15

	VMOVUPS Y8, (DI)
	ADDQ    DX, DI
	VMOVUPS Y9, (DI)
	ADDQ    DX, DI
	VMOVUPS Y10, (DI)
	ADDQ    DX, DI
	VMOVUPS Y11, (DI)
	ADDQ    DX, DI
	VMOVUPS Y12, (DI)
	ADDQ    DX, DI
	VMOVUPS Y13, (DI)
	ADDQ    DX, DI
	VMOVUPS Y14, (DI)
	ADDQ    DX, DI
	VMOVUPS Y15, (DI)
	VZEROUPPER
	RET

// func copyRows16(dst, src *float32, lds, rows int)
//
// dst[r*16+j] = src[r*lds+j] for r < rows, j < 16: rows of 16 floats
// gathered into a packed panel.
TEXT ·copyRows16(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ lds+16(FP), DX
	MOVQ rows+24(FP), CX
	SHLQ $2, DX
	TESTQ CX, CX
	JZ   c16done

c16loop:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ    DX, SI
	ADDQ    $64, DI
	DECQ    CX
	JNZ     c16loop

c16done:
	VZEROUPPER
	RET

// func copyRows6(dst, src *float32, lds, rows int)
//
// dst[r*6+j] = src[r*lds+j] for r < rows, j < 6.
TEXT ·copyRows6(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ lds+16(FP), DX
	MOVQ rows+24(FP), CX
	SHLQ $2, DX
	TESTQ CX, CX
	JZ   c6done

c6loop:
	MOVUPS (SI), X0
	MOVQ   16(SI), AX
	MOVUPS X0, (DI)
	MOVQ   AX, 16(DI)
	ADDQ   DX, SI
	ADDQ   $24, DI
	DECQ   CX
	JNZ    c6loop

c6done:
	RET

// func sgemmKernel12x16(k int, a0, a1, b, c *float32, ldc int, load bool)
//
// The AVX-512 micro-kernel: two packed 6-row panels of A (rows 0-5 from
// a0, 6-11 from a1) times one 16-column panel of B, row i of the tile in
// Z(i). Each inner step loads 16 B values once and fuses multiply-adds
// with each A value broadcast from memory; every element gets the same
// multiply-add sequence as in sgemmKernel6x16, so results are identical.
TEXT ·sgemmKernel12x16(SB), NOSPLIT, $0-49
	MOVQ k+0(FP), CX
	MOVQ a0+8(FP), SI
	MOVQ a1+16(FP), R9
	MOVQ b+24(FP), DI
	MOVQ c+32(FP), DX
	MOVQ ldc+40(FP), R8
	SHLQ $2, R8
	MOVBLZX load+48(FP), AX

	TESTQ AX, AX
	JZ    zero12
	MOVQ    DX, BX
	VMOVUPS (BX), Z0
	ADDQ    R8, BX
	VMOVUPS (BX), Z1
	ADDQ    R8, BX
	VMOVUPS (BX), Z2
	ADDQ    R8, BX
	VMOVUPS (BX), Z3
	ADDQ    R8, BX
	VMOVUPS (BX), Z4
	ADDQ    R8, BX
	VMOVUPS (BX), Z5
	ADDQ    R8, BX
	VMOVUPS (BX), Z6
	ADDQ    R8, BX
	VMOVUPS (BX), Z7
	ADDQ    R8, BX
	VMOVUPS (BX), Z8
	ADDQ    R8, BX
	VMOVUPS (BX), Z9
	ADDQ    R8, BX
	VMOVUPS (BX), Z10
	ADDQ    R8, BX
	VMOVUPS (BX), Z11
	JMP     check12

zero12:
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11

check12:
	TESTQ CX, CX
	JZ    store12

loop12:
	VMOVUPS          (DI), Z12
	VFMADD231PS.BCST (SI), Z12, Z0
	VFMADD231PS.BCST 4(SI), Z12, Z1
	VFMADD231PS.BCST 8(SI), Z12, Z2
	VFMADD231PS.BCST 12(SI), Z12, Z3
	VFMADD231PS.BCST 16(SI), Z12, Z4
	VFMADD231PS.BCST 20(SI), Z12, Z5
	VFMADD231PS.BCST (R9), Z12, Z6
	VFMADD231PS.BCST 4(R9), Z12, Z7
	VFMADD231PS.BCST 8(R9), Z12, Z8
	VFMADD231PS.BCST 12(R9), Z12, Z9
	VFMADD231PS.BCST 16(R9), Z12, Z10
	VFMADD231PS.BCST 20(R9), Z12, Z11
	ADDQ             $24, SI
	ADDQ             $24, R9
	ADDQ             $64, DI
	DECQ             CX
	JNZ              loop12

store12:
	MOVQ    DX, BX
	VMOVUPS Z0, (BX)
	ADDQ    R8, BX
	VMOVUPS Z1, (BX)
	ADDQ    R8, BX
	VMOVUPS Z2, (BX)
	ADDQ    R8, BX
	VMOVUPS Z3, (BX)
	ADDQ    R8, BX
	VMOVUPS Z4, (BX)
	ADDQ    R8, BX
	VMOVUPS Z5, (BX)
	ADDQ    R8, BX
	VMOVUPS Z6, (BX)
	ADDQ    R8, BX
	VMOVUPS Z7, (BX)
	ADDQ    R8, BX
	VMOVUPS Z8, (BX)
	ADDQ    R8, BX
	VMOVUPS Z9, (BX)
	ADDQ    R8, BX
	VMOVUPS Z10, (BX)
	ADDQ    R8, BX
	VMOVUPS Z11, (BX)
	VZEROUPPER
	RET
