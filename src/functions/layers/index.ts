/** The layers, the losses that came with them, and the expression-only calls (several tensor inputs). */
import type { Descriptor } from '../types';
import { scaledDotProductAttention } from './attention';
import { conv1d, conv2d } from './conv';
import { ctcLoss } from './ctc';
import { cosineSimilarity, pairwiseDistance } from './distance';
import { bilinear, linear } from './linear';
import { cosineEmbedding, gaussianNll, marginRanking, multilabelMargin, multilabelSoftMargin, tripletMargin } from './losses';
import { dropout, embedding, rrelu } from './misc';
import { batchNorm, groupNorm, instanceNorm, layerNorm, normalize, rmsNorm } from './norms';
import { avgPool1d, avgPool2d, maxPool1d, maxPool2d } from './pooling';

export const layers: readonly Descriptor[] = [
  // layers, in the contract's order
  layerNorm, batchNorm, groupNorm, instanceNorm, rmsNorm, normalize, dropout, rrelu, maxPool1d, maxPool2d, avgPool1d, avgPool2d,
  // losses
  gaussianNll, multilabelMargin, multilabelSoftMargin,
  // expression calls
  linear, bilinear, conv1d, conv2d, scaledDotProductAttention, cosineSimilarity, pairwiseDistance, embedding,
  marginRanking, tripletMargin, cosineEmbedding, ctcLoss,
];
