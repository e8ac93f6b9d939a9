select
    customer,
    sum(amount) as total,
    count(*) as orders
from {{ ref('raw_orders') }}
group by customer
