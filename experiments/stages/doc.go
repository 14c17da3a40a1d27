// Package stages implements the pipeline stages of an AnomalyNCD study on
// top of the core packages, in the order data flows:
//
//	data      core/synth (or a real dataset) + the labeled base crop set
//	detect    core/detect: anomaly maps per dataset and category
//	binarize  core/crop.RunStage (core/mebin, fixed or Otsu): masks, boxes, crops
//	crop      the training items: anomaly-centred crops, or whole images
//	pretrain  self-supervised backbone pretraining (core/mgvit + core/train)
//	train     MGCRL per category (core/mgvit + core/train)
//	infer     region merging of crop predictions into image predictions (core/merge)
//	evaluate  NMI/ARI/F1, normal-class precision/recall, FPR/FNR, AUPRO (core/metrics, core/detecteval)
//
// Each stage reads the folders of its input stages in the run store and
// writes its own folder; nothing here knows about runners or tables. Every
// output file is deterministic for the same inputs and config.
package stages
