// Package growth is the referral math of a chat group: K-factor closed
// forms, branching processes, Bass diffusion, channel funnels, seeded
// Monte Carlo simulations of referral campaigns, and fits of the referral
// law to a group's own log.
//
// The seed's growth section (F14-F18) gives channel conversion rates (an
// official-account article converts 5%-8% of followers, F14; a Moments
// poster up to 15% of friends, F15), a referral rule with its layer-to-layer
// coefficient ("invite 3 to unlock a perk", 1:2.3, F16), a result (3000+
// members in a month, F17) and a warning (a welcome later than 24 h raises
// churn by 40%, F18). This package turns them into closed forms where they
// exist and seeded simulations where they do not, and shows the uncertainty
// instead of hiding it.
//
// # Choosing an API
//
// K-factor closed forms ([KFactor], [Cumulative], [CyclesToReach],
// [Amplification], [MembersAt], [Retained]) give expected values of the
// simplest model: every member brings K members one cycle later. Use them
// for a quick plan ("how many cycles to 10,000 members at K = 1.25?").
//
// Branching processes ([Offspring] laws [Poisson], [Binomial],
// [NegBinomial], [Geometric], and [Extinction], [ExtinctionBy],
// [ExpectedGeneration], [TotalProgeny], [AtLeast]) describe the randomness
// around those expectations: a referral tree is a Galton-Watson process
// whose offspring law is the number of members one member brings.
//
// For many draws from one Poisson law, [NewPoissonSampler] builds a
// [PoissonSampler] that draws the same values from the same source as
// [Poisson.Sample], about three times faster below a mean of 10; use the
// value type when the mean changes from draw to draw.
//
// A mean says little alone. Three laws with F16's mean of 2.3:
//
//	law                          extinction  P(X >= 3)  variance
//	Poisson{Lambda: 2.3}         0.138       0.404      2.3
//	Geometric{R: 2.3}            0.435       0.339      7.59
//	NegBinomial{R: 2.3, K: 0.5}  0.587       0.297      12.88
//
// A chain started by one member of the dispersed law dies out more often
// than not, although its mean is the same; a campaign with 100 seed members
// dies out with probability 0.587^100, which is negligible, but its size
// after a few cycles spreads far more widely (see the package example).
//
// # From a log to a law
//
// The offspring law need not be a guess: a group's log names the inviter
// of every join (the Actor of a qunops.Join event). An [InviteCounter]
// counts, over a window, the invites of every member present in it,
// members who invited nobody included, into [Counts]; [FitPoisson],
// [FitGeometric] and [FitNegBinomial] fit the three laws by maximum
// likelihood with standard errors and confidence intervals, and [Compare]
// ranks them by AIC. The fitted law answers the seed's claims on data: its
// mean against F16's 1:2.3 ([ReferralCoefficient]), and
// AtLeast(law, [UnlockInvites]) against the observed share of members who
// brought 3 or more ([Counts.AtLeast]); it drives [Simulate] like any law.
//
// [Bass] diffusion models joins from outside pressure (P) and word of mouth
// (Q) in a finite market; [FitBass] estimates P, Q and the market from an
// observed cumulative series. [Funnel] forecasts joins from channels
// (F14, F15) with exact binomial intervals, and [ConversionInterval] turns a
// trial's observed conversions into a rate range.
//
// [Simulate] runs one seeded campaign with an offspring law, a law of the
// delay between a member's join and their invitees' joins, daily churn, and
// groups of 500 members that overflow into new groups; [MonteCarlo] runs
// many and returns p5/p50/p95 bands per day, and the quantiles you ask for
// in Config.Quantiles. Config.LateWelcome raises the churn by F18's 40%.
// Both are reproducible bit for bit from the seed of the *rand.Rand.
//
// # What it does not do
//
// It does not model saturation of the inviters' friend circles (use Limit
// or [Bass] for a finite market), members who invite more than once, time
// of day, or the 200-scan limit of a group QR code (see package livecode).
// Closed forms return expectations; percentiles come only from simulation.
// The fits take each member's invites in the window as one independent
// draw of one law: they do not weigh a member by the time they were
// present (a member who joined the day before the window ended counts as
// fully exposed), and a join without an inviter counts for nobody.
//
// # Invalid parameters
//
// No function returns a silent NaN. Functions whose contract returns a bare
// float64 ([Cumulative], [Extinction], [AtLeast], the laws' methods...)
// panic on a parameter they cannot use (a negative seed, an invalid law),
// as math/rand's IntN does for n <= 0: such a parameter is a programmer
// error, and the panic names the function and the value. Check parameters
// that come from outside with the types' Validate methods first.
// Constructors, simulations and fits, whose input is data, return errors.
//
// # Concurrency and cost
//
// Every function is pure and every type a value, safe for concurrent use,
// except [InviteCounter], which accumulates events; a *rand.Rand is not,
// so give each goroutine its own. A fit costs O(largest count) per
// likelihood evaluation, not O(members): 1 million inviters fit in well
// under a millisecond once counted. The samplers are
// exact and cost O(1) expected time (inversion below a mean of 10, Hörmann's
// transformed rejection above): Poisson{Lambda: 2.3}.Sample costs about 10
// uniform draws (one exp and eight terms of the distribution), and a
// [PoissonSampler], which tabulates its law once, about 3 for the same
// stream. [Extinction] costs about 13 PGF evaluations away from the
// critical point (regula falsi, Illinois) and up to about 150 next to it;
// [Simulate] costs O(days × (delays + groups)) per run for the package's
// laws, independent of the number of members.
package growth
