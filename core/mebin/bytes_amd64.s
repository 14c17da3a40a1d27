//go:build amd64 && !purego

#include "textflag.h"

// func minBytesSSE2(dst, a, b []uint8)
TEXT ·minBytesSSE2(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ a_base+24(FP), SI
	MOVQ b_base+48(FP), DX
	SHRQ $4, CX // 16-byte blocks
	JZ   done
	TESTQ $1, CX
	JZ   pairs
	MOVOU (SI), X0
	MOVOU (DX), X1
	PMINUB X1, X0
	MOVOU X0, (DI)
	ADDQ $16, SI
	ADDQ $16, DX
	ADDQ $16, DI
	DECQ CX
	JZ   done

pairs:
	MOVOU (SI), X0
	MOVOU 16(SI), X2
	MOVOU (DX), X1
	MOVOU 16(DX), X3
	PMINUB X1, X0
	PMINUB X3, X2
	MOVOU X0, (DI)
	MOVOU X2, 16(DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	SUBQ $2, CX
	JNZ  pairs

done:
	RET

// func maxByteSSE2(p []uint8) uint8
TEXT ·maxByteSSE2(SB), NOSPLIT, $0-25
	MOVQ p_base+0(FP), SI
	MOVQ p_len+8(FP), CX
	PXOR X0, X0
	SHRQ $4, CX
	JZ   reduce

loop:
	MOVOU  (SI), X1
	PMAXUB X1, X0
	ADDQ   $16, SI
	DECQ   CX
	JNZ    loop

reduce:
	MOVO   X0, X1
	PSRLDQ $8, X1
	PMAXUB X1, X0
	MOVO   X0, X1
	PSRLDQ $4, X1
	PMAXUB X1, X0
	MOVO   X0, X1
	PSRLDQ $2, X1
	PMAXUB X1, X0
	MOVO   X0, X1
	PSRLDQ $1, X1
	PMAXUB X1, X0
	MOVQ   X0, AX
	MOVB   AL, ret+24(FP)
	RET

// func atLeastSSE2(dst, src []uint8, t uint8)
TEXT ·atLeastSSE2(SB), NOSPLIT, $0-49
	MOVQ    dst_base+0(FP), DI
	MOVQ    dst_len+8(FP), CX
	MOVQ    src_base+24(FP), SI
	MOVBLZX t+48(FP), AX
	MOVQ    AX, X7
	PUNPCKLBW X7, X7
	PUNPCKLWL X7, X7
	PSHUFL  $0, X7, X7 // t in every byte
	SHRQ    $4, CX
	JZ      done

loop:
	MOVOU   (SI), X0
	MOVO    X0, X1
	PMAXUB  X7, X1  // max(src, t)
	PCMPEQB X0, X1  // == src exactly when src >= t
	MOVOU   X1, (DI)
	ADDQ    $16, SI
	ADDQ    $16, DI
	DECQ    CX
	JNZ     loop

done:
	RET
