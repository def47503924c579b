// Package stats holds the statistics that more than one package of qunops
// needs: for now the Wilson score interval of a proportion, used by
// metrics (A/B tests, F28) and growth (conversion rates of channels).
package stats
