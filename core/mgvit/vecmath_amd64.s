#include "textflag.h"

// AVX2/FMA kernels of vecmath.go: the float32 GELU, its gradient and e^x,
// 8 lanes at a time, with the same formulas and constants as the portable
// Go versions (which round each multiply-add separately), and a softmax.

// Constants, each broadcast to 8 lanes (32 bytes) so it can be a memory operand.
DATA vmabsmask<>+0(SB)/4, $0x7fffffff
DATA vmabsmask<>+4(SB)/4, $0x7fffffff
DATA vmabsmask<>+8(SB)/4, $0x7fffffff
DATA vmabsmask<>+12(SB)/4, $0x7fffffff
DATA vmabsmask<>+16(SB)/4, $0x7fffffff
DATA vmabsmask<>+20(SB)/4, $0x7fffffff
DATA vmabsmask<>+24(SB)/4, $0x7fffffff
DATA vmabsmask<>+28(SB)/4, $0x7fffffff
GLOBL vmabsmask<>(SB), RODATA|NOPTR, $32

DATA vmone<>+0(SB)/4, $0x3f800000
DATA vmone<>+4(SB)/4, $0x3f800000
DATA vmone<>+8(SB)/4, $0x3f800000
DATA vmone<>+12(SB)/4, $0x3f800000
DATA vmone<>+16(SB)/4, $0x3f800000
DATA vmone<>+20(SB)/4, $0x3f800000
DATA vmone<>+24(SB)/4, $0x3f800000
DATA vmone<>+28(SB)/4, $0x3f800000
GLOBL vmone<>(SB), RODATA|NOPTR, $32

DATA vmhalf<>+0(SB)/4, $0x3f000000
DATA vmhalf<>+4(SB)/4, $0x3f000000
DATA vmhalf<>+8(SB)/4, $0x3f000000
DATA vmhalf<>+12(SB)/4, $0x3f000000
DATA vmhalf<>+16(SB)/4, $0x3f000000
DATA vmhalf<>+20(SB)/4, $0x3f000000
DATA vmhalf<>+24(SB)/4, $0x3f000000
DATA vmhalf<>+28(SB)/4, $0x3f000000
GLOBL vmhalf<>(SB), RODATA|NOPTR, $32

DATA vminvsqrt2<>+0(SB)/4, $0x3f3504f3
DATA vminvsqrt2<>+4(SB)/4, $0x3f3504f3
DATA vminvsqrt2<>+8(SB)/4, $0x3f3504f3
DATA vminvsqrt2<>+12(SB)/4, $0x3f3504f3
DATA vminvsqrt2<>+16(SB)/4, $0x3f3504f3
DATA vminvsqrt2<>+20(SB)/4, $0x3f3504f3
DATA vminvsqrt2<>+24(SB)/4, $0x3f3504f3
DATA vminvsqrt2<>+28(SB)/4, $0x3f3504f3
GLOBL vminvsqrt2<>(SB), RODATA|NOPTR, $32

DATA vminvsqrt2pi<>+0(SB)/4, $0x3ecc422a
DATA vminvsqrt2pi<>+4(SB)/4, $0x3ecc422a
DATA vminvsqrt2pi<>+8(SB)/4, $0x3ecc422a
DATA vminvsqrt2pi<>+12(SB)/4, $0x3ecc422a
DATA vminvsqrt2pi<>+16(SB)/4, $0x3ecc422a
DATA vminvsqrt2pi<>+20(SB)/4, $0x3ecc422a
DATA vminvsqrt2pi<>+24(SB)/4, $0x3ecc422a
DATA vminvsqrt2pi<>+28(SB)/4, $0x3ecc422a
GLOBL vminvsqrt2pi<>(SB), RODATA|NOPTR, $32

DATA vmasp<>+0(SB)/4, $0x3ea7ba05
DATA vmasp<>+4(SB)/4, $0x3ea7ba05
DATA vmasp<>+8(SB)/4, $0x3ea7ba05
DATA vmasp<>+12(SB)/4, $0x3ea7ba05
DATA vmasp<>+16(SB)/4, $0x3ea7ba05
DATA vmasp<>+20(SB)/4, $0x3ea7ba05
DATA vmasp<>+24(SB)/4, $0x3ea7ba05
DATA vmasp<>+28(SB)/4, $0x3ea7ba05
GLOBL vmasp<>(SB), RODATA|NOPTR, $32

DATA vmasa1<>+0(SB)/4, $0x3e827906
DATA vmasa1<>+4(SB)/4, $0x3e827906
DATA vmasa1<>+8(SB)/4, $0x3e827906
DATA vmasa1<>+12(SB)/4, $0x3e827906
DATA vmasa1<>+16(SB)/4, $0x3e827906
DATA vmasa1<>+20(SB)/4, $0x3e827906
DATA vmasa1<>+24(SB)/4, $0x3e827906
DATA vmasa1<>+28(SB)/4, $0x3e827906
GLOBL vmasa1<>(SB), RODATA|NOPTR, $32

DATA vmasa2<>+0(SB)/4, $0xbe91a98e
DATA vmasa2<>+4(SB)/4, $0xbe91a98e
DATA vmasa2<>+8(SB)/4, $0xbe91a98e
DATA vmasa2<>+12(SB)/4, $0xbe91a98e
DATA vmasa2<>+16(SB)/4, $0xbe91a98e
DATA vmasa2<>+20(SB)/4, $0xbe91a98e
DATA vmasa2<>+24(SB)/4, $0xbe91a98e
DATA vmasa2<>+28(SB)/4, $0xbe91a98e
GLOBL vmasa2<>(SB), RODATA|NOPTR, $32

DATA vmasa3<>+0(SB)/4, $0x3fb5f0e3
DATA vmasa3<>+4(SB)/4, $0x3fb5f0e3
DATA vmasa3<>+8(SB)/4, $0x3fb5f0e3
DATA vmasa3<>+12(SB)/4, $0x3fb5f0e3
DATA vmasa3<>+16(SB)/4, $0x3fb5f0e3
DATA vmasa3<>+20(SB)/4, $0x3fb5f0e3
DATA vmasa3<>+24(SB)/4, $0x3fb5f0e3
DATA vmasa3<>+28(SB)/4, $0x3fb5f0e3
GLOBL vmasa3<>(SB), RODATA|NOPTR, $32

DATA vmasa4<>+0(SB)/4, $0xbfba00e3
DATA vmasa4<>+4(SB)/4, $0xbfba00e3
DATA vmasa4<>+8(SB)/4, $0xbfba00e3
DATA vmasa4<>+12(SB)/4, $0xbfba00e3
DATA vmasa4<>+16(SB)/4, $0xbfba00e3
DATA vmasa4<>+20(SB)/4, $0xbfba00e3
DATA vmasa4<>+24(SB)/4, $0xbfba00e3
DATA vmasa4<>+28(SB)/4, $0xbfba00e3
GLOBL vmasa4<>(SB), RODATA|NOPTR, $32

DATA vmasa5<>+0(SB)/4, $0x3f87dc22
DATA vmasa5<>+4(SB)/4, $0x3f87dc22
DATA vmasa5<>+8(SB)/4, $0x3f87dc22
DATA vmasa5<>+12(SB)/4, $0x3f87dc22
DATA vmasa5<>+16(SB)/4, $0x3f87dc22
DATA vmasa5<>+20(SB)/4, $0x3f87dc22
DATA vmasa5<>+24(SB)/4, $0x3f87dc22
DATA vmasa5<>+28(SB)/4, $0x3f87dc22
GLOBL vmasa5<>(SB), RODATA|NOPTR, $32

DATA vmexplo<>+0(SB)/4, $0xc2ae0000
DATA vmexplo<>+4(SB)/4, $0xc2ae0000
DATA vmexplo<>+8(SB)/4, $0xc2ae0000
DATA vmexplo<>+12(SB)/4, $0xc2ae0000
DATA vmexplo<>+16(SB)/4, $0xc2ae0000
DATA vmexplo<>+20(SB)/4, $0xc2ae0000
DATA vmexplo<>+24(SB)/4, $0xc2ae0000
DATA vmexplo<>+28(SB)/4, $0xc2ae0000
GLOBL vmexplo<>(SB), RODATA|NOPTR, $32

DATA vmlog2e<>+0(SB)/4, $0x3fb8aa3b
DATA vmlog2e<>+4(SB)/4, $0x3fb8aa3b
DATA vmlog2e<>+8(SB)/4, $0x3fb8aa3b
DATA vmlog2e<>+12(SB)/4, $0x3fb8aa3b
DATA vmlog2e<>+16(SB)/4, $0x3fb8aa3b
DATA vmlog2e<>+20(SB)/4, $0x3fb8aa3b
DATA vmlog2e<>+24(SB)/4, $0x3fb8aa3b
DATA vmlog2e<>+28(SB)/4, $0x3fb8aa3b
GLOBL vmlog2e<>(SB), RODATA|NOPTR, $32

DATA vmln2hi<>+0(SB)/4, $0x3f318000
DATA vmln2hi<>+4(SB)/4, $0x3f318000
DATA vmln2hi<>+8(SB)/4, $0x3f318000
DATA vmln2hi<>+12(SB)/4, $0x3f318000
DATA vmln2hi<>+16(SB)/4, $0x3f318000
DATA vmln2hi<>+20(SB)/4, $0x3f318000
DATA vmln2hi<>+24(SB)/4, $0x3f318000
DATA vmln2hi<>+28(SB)/4, $0x3f318000
GLOBL vmln2hi<>(SB), RODATA|NOPTR, $32

DATA vmln2lo<>+0(SB)/4, $0xb95e8083
DATA vmln2lo<>+4(SB)/4, $0xb95e8083
DATA vmln2lo<>+8(SB)/4, $0xb95e8083
DATA vmln2lo<>+12(SB)/4, $0xb95e8083
DATA vmln2lo<>+16(SB)/4, $0xb95e8083
DATA vmln2lo<>+20(SB)/4, $0xb95e8083
DATA vmln2lo<>+24(SB)/4, $0xb95e8083
DATA vmln2lo<>+28(SB)/4, $0xb95e8083
GLOBL vmln2lo<>(SB), RODATA|NOPTR, $32

DATA vmc2<>+0(SB)/4, $0x3f000000
DATA vmc2<>+4(SB)/4, $0x3f000000
DATA vmc2<>+8(SB)/4, $0x3f000000
DATA vmc2<>+12(SB)/4, $0x3f000000
DATA vmc2<>+16(SB)/4, $0x3f000000
DATA vmc2<>+20(SB)/4, $0x3f000000
DATA vmc2<>+24(SB)/4, $0x3f000000
DATA vmc2<>+28(SB)/4, $0x3f000000
GLOBL vmc2<>(SB), RODATA|NOPTR, $32

DATA vmc3<>+0(SB)/4, $0x3e2aaaab
DATA vmc3<>+4(SB)/4, $0x3e2aaaab
DATA vmc3<>+8(SB)/4, $0x3e2aaaab
DATA vmc3<>+12(SB)/4, $0x3e2aaaab
DATA vmc3<>+16(SB)/4, $0x3e2aaaab
DATA vmc3<>+20(SB)/4, $0x3e2aaaab
DATA vmc3<>+24(SB)/4, $0x3e2aaaab
DATA vmc3<>+28(SB)/4, $0x3e2aaaab
GLOBL vmc3<>(SB), RODATA|NOPTR, $32

DATA vmc4<>+0(SB)/4, $0x3d2aaaab
DATA vmc4<>+4(SB)/4, $0x3d2aaaab
DATA vmc4<>+8(SB)/4, $0x3d2aaaab
DATA vmc4<>+12(SB)/4, $0x3d2aaaab
DATA vmc4<>+16(SB)/4, $0x3d2aaaab
DATA vmc4<>+20(SB)/4, $0x3d2aaaab
DATA vmc4<>+24(SB)/4, $0x3d2aaaab
DATA vmc4<>+28(SB)/4, $0x3d2aaaab
GLOBL vmc4<>(SB), RODATA|NOPTR, $32

DATA vmc5<>+0(SB)/4, $0x3c088889
DATA vmc5<>+4(SB)/4, $0x3c088889
DATA vmc5<>+8(SB)/4, $0x3c088889
DATA vmc5<>+12(SB)/4, $0x3c088889
DATA vmc5<>+16(SB)/4, $0x3c088889
DATA vmc5<>+20(SB)/4, $0x3c088889
DATA vmc5<>+24(SB)/4, $0x3c088889
DATA vmc5<>+28(SB)/4, $0x3c088889
GLOBL vmc5<>(SB), RODATA|NOPTR, $32

DATA vmc6<>+0(SB)/4, $0x3ab60b61
DATA vmc6<>+4(SB)/4, $0x3ab60b61
DATA vmc6<>+8(SB)/4, $0x3ab60b61
DATA vmc6<>+12(SB)/4, $0x3ab60b61
DATA vmc6<>+16(SB)/4, $0x3ab60b61
DATA vmc6<>+20(SB)/4, $0x3ab60b61
DATA vmc6<>+24(SB)/4, $0x3ab60b61
DATA vmc6<>+28(SB)/4, $0x3ab60b61
GLOBL vmc6<>(SB), RODATA|NOPTR, $32

DATA vmc7<>+0(SB)/4, $0x39500d01
DATA vmc7<>+4(SB)/4, $0x39500d01
DATA vmc7<>+8(SB)/4, $0x39500d01
DATA vmc7<>+12(SB)/4, $0x39500d01
DATA vmc7<>+16(SB)/4, $0x39500d01
DATA vmc7<>+20(SB)/4, $0x39500d01
DATA vmc7<>+24(SB)/4, $0x39500d01
DATA vmc7<>+28(SB)/4, $0x39500d01
GLOBL vmc7<>(SB), RODATA|NOPTR, $32

DATA vmbias127<>+0(SB)/4, $0x0000007f
DATA vmbias127<>+4(SB)/4, $0x0000007f
DATA vmbias127<>+8(SB)/4, $0x0000007f
DATA vmbias127<>+12(SB)/4, $0x0000007f
DATA vmbias127<>+16(SB)/4, $0x0000007f
DATA vmbias127<>+20(SB)/4, $0x0000007f
DATA vmbias127<>+24(SB)/4, $0x0000007f
DATA vmbias127<>+28(SB)/4, $0x0000007f
GLOBL vmbias127<>(SB), RODATA|NOPTR, $32

DATA vmneginf<>+0(SB)/4, $0xff800000
DATA vmneginf<>+4(SB)/4, $0xff800000
DATA vmneginf<>+8(SB)/4, $0xff800000
DATA vmneginf<>+12(SB)/4, $0xff800000
DATA vmneginf<>+16(SB)/4, $0xff800000
DATA vmneginf<>+20(SB)/4, $0xff800000
DATA vmneginf<>+24(SB)/4, $0xff800000
DATA vmneginf<>+28(SB)/4, $0xff800000
GLOBL vmneginf<>(SB), RODATA|NOPTR, $32

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
	VANDPS       vmabsmask<>(SB), Y0, Y1
	VMULPS       vminvsqrt2<>(SB), Y1, Y1
	VMOVUPS      vmone<>(SB), Y2
	VFMADD231PS  vmasp<>(SB), Y1, Y2
	VMOVUPS      vmone<>(SB), Y3
	VDIVPS       Y2, Y3, Y3
	VMOVUPS      vmasa5<>(SB), Y4
	VFMADD213PS  vmasa4<>(SB), Y3, Y4
	VFMADD213PS  vmasa3<>(SB), Y3, Y4
	VFMADD213PS  vmasa2<>(SB), Y3, Y4
	VFMADD213PS  vmasa1<>(SB), Y3, Y4
	VMULPS       Y3, Y4, Y4
	VXORPS       Y5, Y5, Y5
	VFNMADD231PS Y1, Y1, Y5
	VCMPPS       $0x1D, vmexplo<>(SB), Y5, Y6
	VMAXPS       vmexplo<>(SB), Y5, Y5
	VMULPS       vmlog2e<>(SB), Y5, Y8
	VROUNDPS     $0, Y8, Y8
	VFNMADD231PS vmln2hi<>(SB), Y8, Y5
	VFNMADD231PS vmln2lo<>(SB), Y8, Y5
	VMOVUPS      vmc7<>(SB), Y7
	VFMADD213PS  vmc6<>(SB), Y5, Y7
	VFMADD213PS  vmc5<>(SB), Y5, Y7
	VFMADD213PS  vmc4<>(SB), Y5, Y7
	VFMADD213PS  vmc3<>(SB), Y5, Y7
	VFMADD213PS  vmc2<>(SB), Y5, Y7
	VFMADD213PS  vmone<>(SB), Y5, Y7
	VFMADD213PS  vmone<>(SB), Y5, Y7
	VCVTPS2DQ    Y8, Y8
	VPADDD       vmbias127<>(SB), Y8, Y8
	VPSLLD       $23, Y8, Y8
	VMULPS       Y8, Y7, Y7
	VANDPS       Y6, Y7, Y7
	VMULPS       Y7, Y4, Y4
	VMULPS       vmhalf<>(SB), Y4, Y4
	VMOVUPS      vmone<>(SB), Y9
	VSUBPS       Y4, Y9, Y9
	VXORPS       Y10, Y10, Y10
	VCMPPS       $0x1D, Y10, Y0, Y11
	VBLENDVPS    Y11, Y9, Y4, Y12
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
	VMOVUPS (SI), Y0
	VANDPS       vmabsmask<>(SB), Y0, Y1
	VMULPS       vminvsqrt2<>(SB), Y1, Y1
	VMOVUPS      vmone<>(SB), Y2
	VFMADD231PS  vmasp<>(SB), Y1, Y2
	VMOVUPS      vmone<>(SB), Y3
	VDIVPS       Y2, Y3, Y3
	VMOVUPS      vmasa5<>(SB), Y4
	VFMADD213PS  vmasa4<>(SB), Y3, Y4
	VFMADD213PS  vmasa3<>(SB), Y3, Y4
	VFMADD213PS  vmasa2<>(SB), Y3, Y4
	VFMADD213PS  vmasa1<>(SB), Y3, Y4
	VMULPS       Y3, Y4, Y4
	VXORPS       Y5, Y5, Y5
	VFNMADD231PS Y1, Y1, Y5
	VCMPPS       $0x1D, vmexplo<>(SB), Y5, Y6
	VMAXPS       vmexplo<>(SB), Y5, Y5
	VMULPS       vmlog2e<>(SB), Y5, Y8
	VROUNDPS     $0, Y8, Y8
	VFNMADD231PS vmln2hi<>(SB), Y8, Y5
	VFNMADD231PS vmln2lo<>(SB), Y8, Y5
	VMOVUPS      vmc7<>(SB), Y7
	VFMADD213PS  vmc6<>(SB), Y5, Y7
	VFMADD213PS  vmc5<>(SB), Y5, Y7
	VFMADD213PS  vmc4<>(SB), Y5, Y7
	VFMADD213PS  vmc3<>(SB), Y5, Y7
	VFMADD213PS  vmc2<>(SB), Y5, Y7
	VFMADD213PS  vmone<>(SB), Y5, Y7
	VFMADD213PS  vmone<>(SB), Y5, Y7
	VCVTPS2DQ    Y8, Y8
	VPADDD       vmbias127<>(SB), Y8, Y8
	VPSLLD       $23, Y8, Y8
	VMULPS       Y8, Y7, Y7
	VANDPS       Y6, Y7, Y7
	VMULPS       Y7, Y4, Y4
	VMULPS       vmhalf<>(SB), Y4, Y4
	VMOVUPS      vmone<>(SB), Y9
	VSUBPS       Y4, Y9, Y9
	VXORPS       Y10, Y10, Y10
	VCMPPS       $0x1D, Y10, Y0, Y11
	VBLENDVPS    Y11, Y9, Y4, Y12
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

// func expAVX2(x *float32, n int)
// x = e^x in place for n (a multiple of 8) values; 0 below -87.
TEXT ·expAVX2(SB), NOSPLIT, $0-16
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	SHRQ $3, CX
	JZ   exdone
exloop:
	VMOVUPS (SI), Y5
	VCMPPS  $0x1D, vmexplo<>(SB), Y5, Y6
	VMAXPS  vmexplo<>(SB), Y5, Y5
	VMULPS       vmlog2e<>(SB), Y5, Y8
	VROUNDPS     $0, Y8, Y8
	VFNMADD231PS vmln2hi<>(SB), Y8, Y5
	VFNMADD231PS vmln2lo<>(SB), Y8, Y5
	VMOVUPS      vmc7<>(SB), Y7
	VFMADD213PS  vmc6<>(SB), Y5, Y7
	VFMADD213PS  vmc5<>(SB), Y5, Y7
	VFMADD213PS  vmc4<>(SB), Y5, Y7
	VFMADD213PS  vmc3<>(SB), Y5, Y7
	VFMADD213PS  vmc2<>(SB), Y5, Y7
	VFMADD213PS  vmone<>(SB), Y5, Y7
	VFMADD213PS  vmone<>(SB), Y5, Y7
	VCVTPS2DQ    Y8, Y8
	VPADDD       vmbias127<>(SB), Y8, Y8
	VPSLLD       $23, Y8, Y8
	VMULPS       Y8, Y7, Y7
	VANDPS  Y6, Y7, Y7
	VMOVUPS Y7, (SI)
	ADDQ    $32, SI
	DECQ    CX
	JNZ     exloop
exdone:
	VZEROUPPER
	RET

// func softmaxAVX2(row, bias *float32, n int, scale float32)
// row = softmax(row·scale + bias) for n (a multiple of 8, at least 8) values:
// lane-wise maxima and sums reduced in a fixed order.
TEXT ·softmaxAVX2(SB), NOSPLIT, $0-28
	MOVQ         row+0(FP), SI
	MOVQ         bias+8(FP), DX
	MOVQ         n+16(FP), CX
	SHRQ         $3, CX
	VBROADCASTSS scale+24(FP), Y15
	VMOVUPS      vmneginf<>(SB), Y14
	MOVQ         SI, DI
	MOVQ         CX, BX
smmax:
	VMOVUPS      (DI), Y0
	VFMADD213PS  (DX), Y15, Y0
	VMOVUPS      Y0, (DI)
	VMAXPS       Y0, Y14, Y14
	ADDQ         $32, DI
	ADDQ         $32, DX
	DECQ         BX
	JNZ          smmax
	VEXTRACTF128 $1, Y14, X13
	VMAXPS       X13, X14, X14
	VPERMILPS    $0x4E, X14, X13
	VMAXPS       X13, X14, X14
	VPERMILPS    $0xB1, X14, X13
	VMAXPS       X13, X14, X14
	VBROADCASTSS X14, Y14
	VXORPS       Y13, Y13, Y13
	MOVQ         SI, DI
	MOVQ         CX, BX
smexp:
	VMOVUPS      (DI), Y5
	VSUBPS       Y14, Y5, Y5
	VCMPPS       $0x1D, vmexplo<>(SB), Y5, Y6
	VMAXPS       vmexplo<>(SB), Y5, Y5
	VMULPS       vmlog2e<>(SB), Y5, Y8
	VROUNDPS     $0, Y8, Y8
	VFNMADD231PS vmln2hi<>(SB), Y8, Y5
	VFNMADD231PS vmln2lo<>(SB), Y8, Y5
	VMOVUPS      vmc7<>(SB), Y7
	VFMADD213PS  vmc6<>(SB), Y5, Y7
	VFMADD213PS  vmc5<>(SB), Y5, Y7
	VFMADD213PS  vmc4<>(SB), Y5, Y7
	VFMADD213PS  vmc3<>(SB), Y5, Y7
	VFMADD213PS  vmc2<>(SB), Y5, Y7
	VFMADD213PS  vmone<>(SB), Y5, Y7
	VFMADD213PS  vmone<>(SB), Y5, Y7
	VCVTPS2DQ    Y8, Y8
	VPADDD       vmbias127<>(SB), Y8, Y8
	VPSLLD       $23, Y8, Y8
	VMULPS       Y8, Y7, Y7
	VANDPS       Y6, Y7, Y7
	VMOVUPS      Y7, (DI)
	VADDPS       Y7, Y13, Y13
	ADDQ         $32, DI
	DECQ         BX
	JNZ          smexp
	VEXTRACTF128 $1, Y13, X12
	VADDPS       X12, X13, X13
	VPERMILPS    $0x4E, X13, X12
	VADDPS       X12, X13, X13
	VPERMILPS    $0xB1, X13, X12
	VADDPS       X12, X13, X13
	VBROADCASTSS X13, Y13
	VMOVUPS      vmone<>(SB), Y12
	VDIVPS       Y13, Y12, Y12
smnorm:
	VMULPS       (SI), Y12, Y0
	VMOVUPS      Y0, (SI)
	ADDQ         $32, SI
	DECQ         CX
	JNZ          smnorm
	VZEROUPPER
	RET
