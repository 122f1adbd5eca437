"""What every capability uses and none owns: configuration, time, errors, AWS clients, the table
layout, the audit trail, policy, tenants and the request pipeline."""
